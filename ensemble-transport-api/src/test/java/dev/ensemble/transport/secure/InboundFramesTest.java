package dev.ensemble.transport.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.TransportListener;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The inbound side alone, fed the inner transport's events by hand: what reaches the outer listener,
 * and what is refused, counted and named.
 */
class InboundFramesTest {

    private final PeerIdentity alice = PeerIdentity.fromSeed(seed(1));
    private final PeerId bob = PeerIdentity.fromSeed(seed(2)).peerId();
    private final Map<PeerId, PeerState> peers = new ConcurrentHashMap<>();
    private final RefusalCounts counts = new RefusalCounts();
    private final List<byte[]> sent = new ArrayList<>();
    private final List<String> told = new ArrayList<>();
    private final InboundFrames inbound = new InboundFrames(
            new TransportListener() {
                @Override
                public void onPeerConnected(PeerId peer) {
                    told.add("connected " + peer);
                }

                @Override
                public void onMessage(PeerId from, byte[] message) {
                    told.add("message from " + from);
                }

                @Override
                public void onError(TransportException error) {
                    told.add(error.reason() + " " + error.peer().orElseThrow() + ": " + error.getMessage());
                }
            },
            peers,
            new Handshaker(
                    alice,
                    "lobby",
                    new SecureRandom(),
                    (to, frame) -> sent.add(frame),
                    new ManualScheduler(),
                    RetryPolicy.DEFAULT,
                    counts,
                    peer -> true,
                    error -> {}),
            counts,
            "lobby",
            () -> false);

    @Test
    void aConnectedPeerGetsAnInitButIsNotReportedBeforeItsSession() {
        inbound.onPeerConnected(bob);
        assertEquals(1, sent.size());
        assertEquals(SessionFrames.INIT, sent.get(0)[1]);
        assertTrue(told.isEmpty(), told.toString());
        assertTrue(peers.containsKey(bob));
    }

    @Test
    void aPlainEnvelopeIsRefusedAsEncryptionRequired() {
        inbound.onPeerConnected(bob);
        inbound.onMessage(bob, new byte[] {0x01, 0x01, 0, 0});
        assertEquals(1, counts.plaintextRefused.get());
        assertEquals(1, told.size());
        assertTrue(
                told.get(0).startsWith("ENCRYPTION_REQUIRED " + bob + ": peer " + bob + " sent an unencrypted frame"));
    }

    @Test
    void aDataFrameOfNoSessionIsRefusedAndNeverDelivered() {
        inbound.onPeerConnected(bob);
        byte[] data = new byte[Session.OVERHEAD + 5];
        data[0] = SessionFrames.VERSION;
        data[1] = SessionFrames.DATA;
        inbound.onMessage(bob, data);
        assertEquals(1, counts.framesUnknownSession.get());
        assertEquals(
                List.of("AUTHENTICATION_FAILED " + bob + ": a data frame claiming to come from peer " + bob
                        + " names a session this peer does not hold; dropped (replayed from an old session, or forged"
                        + " by the relay)"),
                told);
    }

    @Test
    void framesOfAnUnknownTypeOrFromAnUnlistedPeerAreDropped() {
        inbound.onMessage(bob, new byte[] {SessionFrames.VERSION, SessionFrames.INIT});
        assertTrue(told.isEmpty(), "a peer the inner transport did not report is not even answered");
        inbound.onPeerConnected(bob);
        inbound.onMessage(bob, new byte[] {SessionFrames.VERSION, 0x7f});
        assertEquals(1, counts.framesMalformed.get());
        assertEquals(
                List.of(Reason.PROTOCOL_ERROR + " " + bob + ": malformed frame from peer " + bob
                        + " dropped: session frame of unknown type 0x7f"),
                told);
    }

    private static byte[] seed(int n) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) n);
        return seed;
    }
}
