package dev.ensemble.transport.ws.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-address handshake limit with real sockets: 127.0.0.1 and 127.0.0.2 are two addresses to
 * the node (the whole 127/8 is this machine's loopback).
 */
class DirectTransportPerAddressLimitTest {
    private static final PeerIdentity ALICE = TestPeers.identity("alice");
    private static final PeerIdentity BOB = TestPeers.identity("bob");
    private static final PeerIdentity CAROL = TestPeers.identity("carol");
    private static final PeerIdentity DAVE = TestPeers.identity("dave");

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private DirectTransport bob(Recorder recorder, int total, int perAddress) {
        DirectTransport transport = DirectTransport.create(DirectTransportConfig.builder(BOB)
                .listen("127.0.0.1", 0)
                .maxPendingHandshakes(total)
                .maxPendingHandshakesPerAddress(perAddress)
                .handshakeTimeout(Duration.ofSeconds(60))
                .build());
        closing.add(transport::close);
        transport.start(recorder);
        return transport;
    }

    private Socket idleFrom(String localHost, int port) throws IOException {
        Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(localHost), 0);
        closing.add(socket);
        return socket;
    }

    private RawPeer rawFrom(String localHost, int port) throws InterruptedException {
        RawPeer peer = RawPeer.connectFrom(localHost, port);
        closing.add(peer::closeBlocking);
        return peer;
    }

    @Test
    void idleSocketsFromOneAddressCannotTakeTheUpgradeSlotsOfAnother() throws Exception {
        Recorder recorder = new Recorder();
        DirectTransport b = bob(recorder, 64, 3);
        for (int i = 0; i < 3; i++) {
            idleFrom("127.0.0.1", b.port());
        }
        Socket fourth = idleFrom("127.0.0.1", b.port());
        fourth.setSoTimeout(20_000);
        assertTrue(
                readToEnd(fourth.getInputStream()).startsWith("HTTP/1.1 503 Service Unavailable\r\n"),
                "a fourth socket from the same address is told the node is busy, and closed");

        RawPeer other = rawFrom("127.0.0.2", b.port());
        assertEquals(BOB.peerId(), other.handshake(ALICE.peerId(), ALICE), "another address still gets in");
        Await.until("bob connects alice from 127.0.0.2", () -> recorder.connected.contains(ALICE.peerId()));
    }

    @Test
    void upgradedConnectionsFromOneAddressBeyondTheLimitAreRefusedWith1013() throws Exception {
        Recorder recorder = new Recorder();
        DirectTransport b = bob(recorder, 64, 2);
        RawPeer first = rawFrom("127.0.0.1", b.port());
        RawPeer second = rawFrom("127.0.0.1", b.port());
        RawPeer third = rawFrom("127.0.0.1", b.port());
        Await.until(
                "the third from 127.0.0.1 is refused with 1013", () -> third.closeCode == 1013, () -> third.closeCode);
        assertTrue(third.closeReason.contains("maxPendingHandshakesPerAddress 2"), third.closeReason);
        Await.until(
                "bob reports the refusal",
                () -> recorder.hasError(Reason.HANDSHAKE_FAILED, "maxPendingHandshakesPerAddress 2"),
                recorder::toString);

        RawPeer elsewhere = rawFrom("127.0.0.2", b.port());
        assertEquals(BOB.peerId(), elsewhere.handshake(CAROL.peerId(), CAROL), "another address still gets in");

        // Only handshakes under way count: once the first two are verified, 127.0.0.1 may dial again.
        first.handshake(ALICE.peerId(), ALICE);
        second.handshake(DAVE.peerId(), DAVE);
        RawPeer fourth = rawFrom("127.0.0.1", b.port());
        assertEquals(BOB.peerId(), fourth.handshake(ALICE.peerId(), ALICE), "a finished handshake frees its slot");
    }

    @Test
    void manyNodesOnOneAddressConnectWhenTheirHandshakesDoNotOverlapBeyondTheLimit() throws Exception {
        Recorder recorder = new Recorder();
        DirectTransport b = bob(recorder, 64, 1);
        for (int i = 0; i < 6; i++) {
            PeerIdentity node = TestPeers.identity("node-" + i);
            RawPeer peer = rawFrom("127.0.0.1", b.port());
            assertEquals(BOB.peerId(), peer.handshake(node.peerId(), node), "node " + i);
        }
        Await.until("bob holds six nodes from 127.0.0.1", () -> recorder.connected.size() == 6, recorder::toString);
    }

    @Test
    void aLimitBelowOneIsRefusedNamingTheValue() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> DirectTransportConfig.builder(BOB).maxPendingHandshakesPerAddress(0));
        assertEquals("maxPendingHandshakesPerAddress must be positive but is 0", error.getMessage());
        assertEquals(
                DirectTransportConfig.DEFAULT_MAX_PENDING_HANDSHAKES_PER_ADDRESS,
                DirectTransportConfig.builder(BOB).build().maxPendingHandshakesPerAddress());
        assertEquals(
                5,
                DirectTransportConfig.builder(BOB).maxPendingHandshakesPerAddress(5).build().toBuilder()
                        .build()
                        .maxPendingHandshakesPerAddress());
    }

    /** What the node wrote until it closed the socket. */
    private static String readToEnd(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
}
