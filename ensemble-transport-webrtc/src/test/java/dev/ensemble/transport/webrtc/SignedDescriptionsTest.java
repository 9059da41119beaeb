package dev.ensemble.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.NetNamespace;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signed descriptions between two real WebRTC transports (inside netns-run): peers connect when the
 * signaling path is honest, and a signaling server that swaps the DTLS fingerprint in a description,
 * as one would to sit between the peers, is refused with an event naming the peer; one that replays
 * descriptions is refused, and cannot make a peer refuse genuine ones later.
 */
class SignedDescriptionsTest {

    private static final String ROOM = "signed-room";
    private static final PeerId ALICE = TestPeers.id("signed-alice");
    private static final PeerId BOB = TestPeers.id("signed-bob");
    private static final Pattern FINGERPRINT = Pattern.compile("a=fingerprint:sha-256 ([0-9A-F:]+)");

    private final List<AutoCloseable> resources = new ArrayList<>();
    private MemorySignalHub hub;

    @BeforeEach
    void setUp() {
        NetNamespace.assumeInside();
        hub = new MemorySignalHub();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    private WebRtcTransport transport(PeerId self, RecordingListener listener) {
        WebRtcTransport transport = WebRtcTransport.createSigned(
                TestPeers.identityOf(self), ROOM, hub.endpoint(self), WebRtcConfig.defaults());
        resources.add(transport::close);
        transport.start(listener);
        return transport;
    }

    @Test
    void peersWithSignedDescriptionsConnect() {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcTransport alice = transport(ALICE, aliceEvents);
        WebRtcTransport bob = transport(BOB, bobEvents);
        alice.connect(BOB);
        bob.connect(ALICE);
        Await.until(
                "both sides report the channel open",
                WebRtcTransportTest.OPEN,
                () -> aliceEvents.isConnectedTo(BOB) && bobEvents.isConnectedTo(ALICE));
        assertTrue(alice.send(BOB, "hello".getBytes(StandardCharsets.UTF_8)));
        Await.until("Bob receives Alice's message", () -> !bobEvents.messages().isEmpty());

        assertTrue(hub.sent().stream().anyMatch(s -> s.json().contains("\"signature\":")), "descriptions are signed");
        assertTrue(aliceEvents.errors().isEmpty(), aliceEvents.errors().toString());
        assertTrue(bobEvents.errors().isEmpty(), bobEvents.errors().toString());
    }

    @Test
    void aSwappedFingerprintIsRefusedAndNamesThePeer() {
        // The server replaces the DTLS fingerprint of every description with one of its own.
        hub.rewrite(sent -> {
            Matcher matcher = FINGERPRINT.matcher(sent.json());
            if (!matcher.find()) {
                return sent;
            }
            String forged =
                    "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
            return new MemorySignalHub.Sent(
                    sent.from(), sent.to(), matcher.replaceAll("a=fingerprint:sha-256 " + forged));
        });
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        transport(ALICE, aliceEvents).connect(BOB);
        transport(BOB, bobEvents).connect(ALICE);
        Await.until(
                "a side refuses the other's forged description",
                WebRtcTransportTest.OPEN,
                () -> refusal(aliceEvents, BOB) != null || refusal(bobEvents, ALICE) != null);

        TransportException refused =
                refusal(aliceEvents, BOB) != null ? refusal(aliceEvents, BOB) : refusal(bobEvents, ALICE);
        assertEquals(Reason.AUTHENTICATION_FAILED, refused.reason());
        assertTrue(refused.getMessage().contains("does not verify"), refused.getMessage());
        assertTrue(refused.getMessage().contains("DTLS fingerprint"), refused.getMessage());
        assertFalse(aliceEvents.isConnectedTo(BOB), "no channel may open on a forged description");
        assertFalse(bobEvents.isConnectedTo(ALICE), "no channel may open on a forged description");
    }

    @Test
    void aDescriptionOfAnEarlierConnectionReplayedByTheServerIsRefused() {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcTransport alice = transport(ALICE, aliceEvents);
        WebRtcTransport bob = transport(BOB, bobEvents);
        // Alice offers before Bob says anything, so her first description names no connection of
        // Bob's (a description that names one Bob no longer has is dropped as stale, not replayed).
        alice.connect(BOB);
        Await.until("Alice sends her first offer", () -> hub.offersFrom(ALICE) >= 1);
        bob.connect(ALICE);
        Await.until(
                "the first connection opens",
                WebRtcTransportTest.OPEN,
                () -> aliceEvents.isConnectedTo(BOB) && bobEvents.isConnectedTo(ALICE));
        MemorySignalHub.Sent first = hub.sent().stream()
                .filter(s -> s.from().equals(ALICE) && s.json().contains("\"description\""))
                .filter(s -> !s.json().contains("\"peerSession\""))
                .findFirst()
                .orElseThrow();

        // Alice restarts: the same identity, a new transport and so a new connection.
        alice.close();
        RecordingListener againEvents = new RecordingListener();
        WebRtcTransport again = transport(ALICE, againEvents);
        again.connect(BOB);
        Await.until("the new connection opens", WebRtcTransportTest.OPEN, () -> againEvents.isConnectedTo(BOB));
        // The server replays Alice's description of the first connection.
        hub.redeliver(first);
        Await.until("Bob refuses the replay", WebRtcTransportTest.OPEN, () -> refusal(bobEvents, ALICE) != null);

        assertTrue(
                refusal(bobEvents, ALICE).getMessage().contains("a replayed signal"),
                refusal(bobEvents, ALICE).getMessage());
        assertTrue(again.send(BOB, "still connected".getBytes(StandardCharsets.UTF_8)));
        Await.until(
                "Bob receives over the new connection",
                () -> bobEvents.messages().stream()
                        .anyMatch(m -> new String(m.message(), StandardCharsets.UTF_8).equals("still connected")));
    }

    @Test
    void aWithheldRenegotiationReplayedAfterBobRestartsDoesNotMakeBobRefuseAliceLater() {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcTransport alice = transport(ALICE, aliceEvents);
        WebRtcTransport bob = transport(BOB, bobEvents);
        alice.connect(BOB);
        bob.connect(ALICE);
        Await.until(
                "the first connection opens",
                WebRtcTransportTest.OPEN,
                () -> aliceEvents.isConnectedTo(BOB) && bobEvents.isConnectedTo(ALICE));

        // Alice renegotiates (an ICE restart); the server withholds her offer, which names Bob's
        // connection of the time and the SDP session of hers.
        hub.withhold(s -> s.from().equals(ALICE) && s.json().contains("\"type\":\"offer\""));
        alice.restartIceForTest(BOB);
        Await.until(
                "the server holds Alice's renegotiation", () -> !hub.withheld().isEmpty());
        hub.withhold(null);

        // Bob restarts: the same identity, a new transport that has never seen that offer.
        bob.close();
        RecordingListener againEvents = new RecordingListener();
        WebRtcTransport again = transport(BOB, againEvents);
        again.connect(ALICE);
        Await.until(
                "Bob's new connection opens",
                WebRtcTransportTest.OPEN,
                () -> againEvents.isConnectedTo(ALICE)
                        && aliceEvents.connectEvents().size() >= 2);

        // The server replays the withheld offer to the new Bob, then Alice genuinely renegotiates
        // her current connection: the replay must not have made that one look like a replay.
        hub.redeliver(hub.withheld().get(0));
        long answersBefore = answersFrom(BOB);
        alice.restartIceForTest(BOB);
        Await.until(
                "the new Bob answers Alice's genuine renegotiation",
                WebRtcTransportTest.OPEN,
                () -> answersFrom(BOB) > answersBefore || refusal(againEvents, ALICE) != null);

        assertNull(refusal(againEvents, ALICE), "Bob refused Alice's genuine renegotiation");
        assertTrue(alice.send(BOB, "after".getBytes(StandardCharsets.UTF_8)));
        Await.until(
                "Bob receives after the renegotiation",
                () -> againEvents.messages().stream()
                        .anyMatch(m -> new String(m.message(), StandardCharsets.UTF_8).equals("after")));
    }

    private long answersFrom(PeerId peer) {
        return hub.sent().stream()
                .filter(s -> s.from().equals(peer) && s.json().contains("\"type\":\"answer\""))
                .count();
    }

    private static TransportException refusal(RecordingListener events, PeerId from) {
        return events.errors().stream()
                .filter(e -> e.reason() == Reason.AUTHENTICATION_FAILED
                        && e.peer().map(from::equals).orElse(false))
                .findFirst()
                .orElse(null);
    }
}
