package dev.ensemble.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.wire.Chunker;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.collab.wire.EnvelopeCodec;
import dev.ensemble.collab.wire.Reassembler;
import dev.ensemble.collab.wire.ReassemblyLimits;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.NetNamespace;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.webrtc.signal.Signal;
import dev.ensemble.transport.webrtc.signal.SignalChannel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two transports in one JVM, negotiated through an in-memory signal relay (inside netns-run). */
class WebRtcTransportTest {

    static final Duration OPEN = Duration.ofSeconds(15);
    static final PeerId ALICE = TestPeers.id("alice");
    static final PeerId BOB = TestPeers.id("bob");

    final List<AutoCloseable> resources = new ArrayList<>();
    MemorySignalHub hub;

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

    WebRtcTransport transport(PeerId self, WebRtcConfig config, RecordingListener listener) {
        WebRtcTransport transport = WebRtcTransport.create(self, hub.endpoint(self), config);
        resources.add(transport::close);
        transport.start(listener);
        return transport;
    }

    static byte[] numbered(int n, int size) {
        return ByteBuffer.allocate(Math.max(4, size)).putInt(n).array();
    }

    @Test
    void opensChannelAndDeliversMessagesBothWaysInOrder() {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcTransport alice = transport(ALICE, WebRtcConfig.defaults(), aliceEvents);
        WebRtcTransport bob = transport(BOB, WebRtcConfig.defaults(), bobEvents);
        alice.connect(BOB);
        bob.connect(ALICE);
        Await.until(
                "both sides report the channel open",
                OPEN,
                () -> aliceEvents.isConnectedTo(BOB) && bobEvents.isConnectedTo(ALICE));
        assertTrue(alice.isConnected(BOB));

        int count = 1000;
        for (int i = 0; i < count; i++) {
            assertTrue(alice.send(BOB, numbered(i, 64)), "send " + i + " to bob");
            assertTrue(bob.send(ALICE, numbered(i, 100)), "send " + i + " to alice");
        }
        Await.until(
                "every message arrives",
                OPEN,
                () -> bobEvents.messages().size() == count
                        && aliceEvents.messages().size() == count);
        List<RecordingListener.Received> atBob = bobEvents.messages();
        List<RecordingListener.Received> atAlice = aliceEvents.messages();
        for (int i = 0; i < count; i++) {
            assertEquals(ALICE, atBob.get(i).from());
            assertEquals(64, atBob.get(i).message().length);
            assertEquals(i, ByteBuffer.wrap(atBob.get(i).message()).getInt(), "order at bob");
            assertEquals(i, ByteBuffer.wrap(atAlice.get(i).message()).getInt(), "order at alice");
        }
        assertEquals(
                1,
                aliceEvents.peerEventThreads().size(),
                () -> "callbacks on one thread: " + aliceEvents.peerEventThreads());
        assertTrue(aliceEvents.errors().isEmpty(), () -> "no errors: " + aliceEvents.errors());
    }

    void connectBoth(
            WebRtcTransport alice, RecordingListener aliceEvents, WebRtcTransport bob, RecordingListener bobEvents) {
        alice.connect(BOB);
        bob.connect(ALICE);
        Await.until(
                "both sides report the channel open",
                OPEN,
                () -> aliceEvents.isConnectedTo(BOB) && bobEvents.isConnectedTo(ALICE));
    }

    @Test
    void resolvesGlareWhenBothSidesOfferAtOnce() {
        hub.holdUntil(sent -> hub.offersFrom(ALICE) >= 1 && hub.offersFrom(BOB) >= 1);
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcTransport alice = transport(ALICE, WebRtcConfig.defaults(), aliceEvents);
        WebRtcTransport bob = transport(BOB, WebRtcConfig.defaults(), bobEvents);
        connectBoth(alice, aliceEvents, bob, bobEvents);

        assertEquals(1, hub.offersFrom(BOB), "bob (impolite) offered once and kept his offer");
        assertTrue(hub.offersFrom(ALICE) >= 1, "alice (polite) offered too, then rolled back");
        assertTrue(alice.send(BOB, new byte[] {42}));
        Await.until(
                "a message crosses after glare",
                OPEN,
                () -> bobEvents.messages().size() == 1);
        assertEquals(1, aliceEvents.connectEvents().size(), "no reconnect was needed");
    }

    @Test
    void carriesAFourMegabyteEnvelopeChunkedIntact() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcTransport alice = transport(ALICE, WebRtcConfig.defaults(), aliceEvents);
        WebRtcTransport bob = transport(BOB, WebRtcConfig.defaults(), bobEvents);
        connectBoth(alice, aliceEvents, bob, bobEvents);

        byte[] payload = new byte[4 * 1024 * 1024];
        new Random(7).nextBytes(payload);
        List<byte[]> frames = new Chunker(alice.maxMessageSize()).split(Envelope.sync("doc-1", payload));
        assertTrue(frames.size() > 60, "split into chunks, was " + frames.size());
        for (byte[] frame : frames) {
            assertTrue(frame.length <= alice.maxMessageSize());
            assertTrue(alice.send(BOB, frame), "a chunk is queued");
        }
        Await.until(
                "every chunk arrives" + " (" + frames.size() + " chunks)",
                OPEN,
                () -> bobEvents.messages().size() == frames.size());

        Reassembler reassembler = new Reassembler(ALICE, ReassemblyLimits.DEFAULTS, InstantSource.system());
        EnvelopeCodec codec = EnvelopeCodec.withMaxFrameSize(bob.maxMessageSize());
        Optional<Envelope> whole = Optional.empty();
        for (RecordingListener.Received chunk : bobEvents.messages()) {
            whole = reassembler.offer(codec.decode(chunk.message()));
        }
        assertTrue(whole.isPresent(), "the last chunk completes the envelope");
        assertEquals("doc-1", whole.get().documentId());
        assertArrayEquals(payload, whole.get().payload());
        assertTrue(bob.isConnected(ALICE), "the channel survived 4 MB");
    }

    @Test
    void rejectsOversizedMessagesAndUnknownPeersWithoutThrowing() {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcTransport alice = transport(ALICE, WebRtcConfig.defaults(), aliceEvents);
        WebRtcTransport bob = transport(BOB, WebRtcConfig.defaults(), bobEvents);
        assertFalse(alice.send(BOB, new byte[1]), "not connected yet");
        connectBoth(alice, aliceEvents, bob, bobEvents);

        assertFalse(alice.send(BOB, new byte[alice.maxMessageSize() + 1]), "over the limit");
        assertFalse(alice.send(TestPeers.id("nobody"), new byte[1]), "unknown peer");
        assertTrue(alice.send(BOB, new byte[alice.maxMessageSize()]), "exactly the limit");
        Await.until(
                "the maximal message arrives", OPEN, () -> bobEvents.messages().size() == 1);
        assertEquals(alice.maxMessageSize(), bobEvents.messages().get(0).message().length);
        assertTrue(alice.isConnected(BOB));
    }

    @Test
    void reportsTheOtherSideClosingItsTransport() {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcTransport alice = transport(ALICE, WebRtcConfig.defaults(), aliceEvents);
        WebRtcTransport bob = transport(BOB, WebRtcConfig.defaults(), bobEvents);
        connectBoth(alice, aliceEvents, bob, bobEvents);

        bob.close();
        Await.until("alice sees bob disconnect", OPEN, () -> !aliceEvents.isConnectedTo(BOB));
        assertFalse(alice.isConnected(BOB));
        assertFalse(alice.send(BOB, new byte[1]), "no send to a disconnected peer");
        assertFalse(bob.send(ALICE, new byte[1]), "no send on a closed transport");
        assertEquals(0, bobEvents.disconnects().size(), "no callback after close");
    }

    @Test
    void reconnectsAfterTheChannelBreaks() {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcConfig fast = WebRtcConfig.builder()
                .backoff(Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(1), 0.5))
                .build();
        WebRtcTransport alice = transport(ALICE, fast, aliceEvents);
        WebRtcTransport bob = transport(BOB, fast, bobEvents);
        connectBoth(alice, aliceEvents, bob, bobEvents);

        alice.breakChannelForTest(BOB);
        Await.until(
                "both sides report the broken channel at once",
                OPEN,
                () -> aliceEvents.disconnects().size() >= 1
                        && bobEvents.disconnects().size() >= 1);
        Await.until(
                "both sides come back over WebRTC",
                OPEN,
                () -> aliceEvents.isConnectedTo(BOB) && bobEvents.isConnectedTo(ALICE));
        assertTrue(aliceEvents.connectEvents().size() >= 2
                && bobEvents.connectEvents().size() >= 2);
        assertTrue(bob.send(ALICE, new byte[] {7}));
        Await.until("messages flow again", OPEN, () -> aliceEvents.messages().size() == 1);
    }

    @Test
    void reportsABreakMidStreamAtOnceAndResumesInOrder() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcConfig fast = WebRtcConfig.builder()
                .backoff(Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(1), 0.5))
                .build();
        WebRtcTransport alice = transport(ALICE, fast, aliceEvents);
        WebRtcTransport bob = transport(BOB, fast, bobEvents);
        connectBoth(alice, aliceEvents, bob, bobEvents);

        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        Thread sender = new Thread(
                () -> {
                    int next = 0;
                    while (running.get()) {
                        if (alice.queueSize(BOB) > 16 * 1024) {
                            Thread.yield();
                            continue;
                        }
                        if (alice.send(BOB, numbered(next, 64))) {
                            next++;
                            accepted.set(next);
                        }
                        Thread.onSpinWait();
                    }
                },
                "stream-sender");
        sender.start();
        try {
            Await.until(
                    "the stream is flowing", OPEN, () -> bobEvents.messages().size() >= 200);
            alice.breakChannelForTest(BOB);
            Await.until(
                    "both sides report the break",
                    OPEN,
                    () -> aliceEvents.disconnects().size() == 1
                            && bobEvents.disconnects().size() == 1);
            int beforeReconnect = bobEvents.messages().size();
            Await.until(
                    "both sides reconnect",
                    OPEN,
                    () -> aliceEvents.connectEvents().size() == 2
                            && bobEvents.connectEvents().size() == 2);
            Await.until(
                    "the stream flows again after the reconnect",
                    OPEN,
                    () -> bobEvents.messages().size() > beforeReconnect + 200);
        } finally {
            running.set(false);
            sender.join();
        }
        int previous = -1;
        for (RecordingListener.Received r : bobEvents.messages()) {
            int n = ByteBuffer.wrap(r.message()).getInt();
            assertTrue(n > previous, "strictly increasing across the break: " + n + " after " + previous);
            previous = n;
        }
        assertTrue(previous < accepted.get(), "nothing arrives that was not accepted");
    }

    @Test
    void survivesHostileSignalsAndKeepsServingOtherPeers() {
        PeerId eve = TestPeers.id("eve");
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcConfig config =
                WebRtcConfig.builder().connectTimeout(Duration.ofSeconds(4)).build();
        WebRtcTransport alice = transport(ALICE, config, aliceEvents);
        WebRtcTransport bob = transport(BOB, config, bobEvents);
        SignalChannel eveChannel = hub.endpoint(eve);
        eveChannel.register((from, signal) -> {});
        alice.connect(eve);
        eveChannel.send(ALICE, new Signal.Description(Signal.Type.OFFER, "not an sdp", "e1", null));
        eveChannel.send(ALICE, new Signal.Candidate("candidate:garbage", "0", 0, "e1", null));
        eveChannel.send(ALICE, new Signal.Description(Signal.Type.ANSWER, "v=0", "e1", "nobody"));
        eveChannel.send(ALICE, new Signal.Description(Signal.Type.OFFER, "v=0\r\nm=garbage\r\n", "e1", null));
        Await.until(
                "both bad offers are reported", OPEN, () -> aliceEvents.errors().size() >= 2);
        assertEquals(
                "peer " + eve + " sent an offer whose SDP does not start with \"v=0\" (it"
                        + " starts with \"not an sdp\"); dropped",
                aliceEvents.errors().get(0).getMessage());
        assertEquals(eve, aliceEvents.errors().get(0).peer().orElseThrow());
        assertEquals(
                "negotiation with peer " + eve + " failed while applying the remote offer: no"
                        + " result from libwebrtc within PT2S; starting a fresh connection",
                aliceEvents.errors().get(1).getMessage());

        connectBoth(alice, aliceEvents, bob, bobEvents);
        assertTrue(alice.send(BOB, new byte[] {1}));
        Await.until("alice still serves bob", OPEN, () -> bobEvents.messages().size() == 1);
        assertFalse(alice.isConnected(eve));
    }

    @Test
    void relayOnlyPolicyWithoutTurnServerNeverConnectsAndSaysSo() {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcConfig relayOnly = WebRtcConfig.builder()
                .relayOnly(true)
                .iceServers(List.of())
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        WebRtcTransport alice = transport(ALICE, relayOnly, aliceEvents);
        WebRtcTransport bob = transport(BOB, relayOnly, bobEvents);
        alice.connect(BOB);
        bob.connect(ALICE);

        Await.until(
                "the connect timeout is reported",
                OPEN,
                () -> aliceEvents.errors().stream()
                        .anyMatch(e -> e.getMessage().startsWith("no data channel to peer " + BOB + " within")));
        assertTrue(
                aliceEvents
                        .errors()
                        .get(0)
                        .getMessage()
                        .startsWith("relay-only ICE policy with no" + " TURN server: peer " + BOB
                                + " can never connect over WebRTC"),
                () -> "first error: " + aliceEvents.errors().get(0).getMessage());
        assertTrue(aliceEvents.errors().stream()
                .anyMatch(e -> e.getMessage().contains("ICE policy relay-only, 0 ICE server(s) of which 0 TURN")));
        assertEquals(0, aliceEvents.connectEvents().size(), "never connected");
        assertEquals(0, bobEvents.connectEvents().size(), "never connected");
    }

    @Test
    void appliesAnOfferThatArrivesBeforeTheApplicationConnects() {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcConfig slowRetry =
                WebRtcConfig.builder().connectTimeout(Duration.ofSeconds(60)).build();
        WebRtcTransport alice = transport(ALICE, slowRetry, aliceEvents);
        WebRtcTransport bob = transport(BOB, slowRetry, bobEvents);
        bob.connect(ALICE);
        Await.until("bob's offer is on its way", OPEN, () -> hub.offersFrom(BOB) >= 1);
        assertFalse(alice.isConnected(BOB), "alice does not connect a peer she was not asked to");

        alice.connect(BOB);
        Await.until(
                "the parked offer is applied at once, long" + " before bob's 60 s connect timeout would retry",
                Duration.ofSeconds(5),
                () -> aliceEvents.isConnectedTo(BOB) && bobEvents.isConnectedTo(ALICE));
    }

    @Test
    void neverConnectsAPeerTheApplicationDidNotAskFor() {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcConfig quick = WebRtcConfig.builder()
                .connectTimeout(Duration.ofMillis(1500))
                .backoff(Backoff.of(Duration.ofMillis(100), Duration.ofMillis(200), 0.5))
                .build();
        transport(ALICE, quick, aliceEvents);
        WebRtcTransport bob = transport(BOB, quick, bobEvents);
        bob.connect(ALICE);
        Await.until(
                "bob times out twice (and re-dials)",
                OPEN,
                () -> bobEvents.errors().size() >= 2);
        assertTrue(
                bobEvents
                        .errors()
                        .get(0)
                        .getMessage()
                        .startsWith(
                                "no data channel to peer " + ALICE + " within PT1.5S after dialing (ICE policy all,"),
                () -> bobEvents.errors().get(0).getMessage());
        assertEquals(0, aliceEvents.connectEvents().size(), "alice never connected bob");
        assertEquals(0, bobEvents.connectEvents().size(), "bob never connected alice");
    }

    @Test
    void connectsThreePeersPairwise() {
        PeerId carol = TestPeers.id("carol");
        List<PeerId> ids = List.of(ALICE, BOB, carol);
        List<RecordingListener> events = new ArrayList<>();
        List<WebRtcTransport> transports = new ArrayList<>();
        for (PeerId id : ids) {
            RecordingListener listener = new RecordingListener();
            events.add(listener);
            transports.add(transport(id, WebRtcConfig.defaults(), listener));
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (i != j) {
                    transports.get(i).connect(ids.get(j));
                }
            }
        }
        Await.until(
                "every peer has both others connected",
                OPEN,
                () -> events.stream().allMatch(e -> e.connectedPeers().size() == 2));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (i != j) {
                    assertTrue(transports.get(i).send(ids.get(j), new byte[] {(byte) i}));
                }
            }
        }
        Await.until(
                "every peer receives from both others",
                OPEN,
                () -> events.stream().allMatch(e -> e.messages().size() == 2));
        for (int i = 0; i < 3; i++) {
            for (RecordingListener.Received r : events.get(i).messages()) {
                assertEquals(ids.get(r.message()[0]), r.from(), "sender id matches the payload");
            }
        }
    }

    @Test
    void restartsIceOnAnOpenConnectionWithoutDroppingIt() {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        WebRtcTransport alice = transport(ALICE, WebRtcConfig.defaults(), aliceEvents);
        WebRtcTransport bob = transport(BOB, WebRtcConfig.defaults(), bobEvents);
        connectBoth(alice, aliceEvents, bob, bobEvents);
        long offersBefore = hub.offersFrom(BOB);

        bob.restartIceForTest(ALICE);
        Await.until("bob re-offers with new ICE" + " credentials", OPEN, () -> hub.offersFrom(BOB) > offersBefore);
        List<String> bobOffers = hub.sent().stream()
                .filter(s -> s.from().equals(BOB) && s.json().contains("\"type\":\"offer\""))
                .map(MemorySignalHub.Sent::json)
                .toList();
        String restartOffer = bobOffers.get(bobOffers.size() - 1);
        assertFalse(
                iceUfrag(restartOffer).equals(iceUfrag(bobOffers.get(0))),
                "the restart offer carries new ICE credentials");
        assertTrue(
                restartOffer.contains("\"peerSession\":"),
                "a renegotiation names alice's" + " connection: " + restartOffer.substring(0, 80));
        for (int i = 0; i < 100; i++) {
            assertTrue(alice.send(BOB, numbered(i, 64)));
        }
        Await.until(
                "data flows across the restart",
                OPEN,
                () -> bobEvents.messages().size() == 100);
        assertEquals(1, aliceEvents.connectEvents().size(), "the channel stayed open");
        assertEquals(0, aliceEvents.disconnects().size(), "the channel stayed open");
    }

    static String iceUfrag(String json) {
        int at = json.indexOf("a=ice-ufrag:");
        assertTrue(at >= 0, "an offer has an ICE username fragment");
        return json.substring(at, json.indexOf("\\r\\n", at));
    }
}
