package dev.ensemble.transport.ws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.wire.EnvelopeCodec;
import dev.ensemble.collab.wire.UnsupportedVersionException;
import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.RecordingListener;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.secure.SecureTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions over the real relay: peers reach a real signaling server on 127.0.0.1 through a {@link
 * TamperingRelay}, which keeps every frame it passes (the packet log) and tampers with, replays,
 * reorders, drops or injects relayed frames on the tests' orders. The relay must see no plaintext,
 * and every misdeed must be refused, counted and blamed, never delivered.
 */
class EncryptedRelayTest {
    private static final String ROOM = "sealed-room";
    private static final String MARKER = "Clara-Schumann-plays";

    private TestServer server;
    private TamperingRelay relay;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
        relay = new TamperingRelay(server.uri());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable each : closeables) {
            each.close();
        }
        relay.close();
        server.close();
    }

    @Test
    void theRelaySeesNoPlaintext() {
        Peer alice = peer();
        Peer bob = peer();
        awaitSession(alice, bob);
        for (int i = 0; i < 10; i++) {
            assertTrue(alice.transport.send(bob.id(), (MARKER + " note " + i).getBytes(UTF_8)));
        }
        Await.until("Bob has Alice's ten notes", () -> bob.events.messages().size() == 10);

        assertEquals(MARKER + " note 9", new String(bob.events.messages().get(9).message(), UTF_8));
        assertRelaySawNoMarker();
        assertEquals(0, bob.transport.counters().refusedTotal());
    }

    /** The check above can fail: without sessions the same relay log holds the marker. */
    @Test
    void withoutSessionsTheRelaySeesThePlaintext() {
        WebSocketTransport alice = plain();
        WebSocketTransport bob = plain();
        RecordingListener bobEvents = new RecordingListener();
        alice.start(new RecordingListener());
        bob.start(bobEvents);
        Await.until("Alice sees Bob", () -> alice.isInRoom() && bob.isInRoom() && send(alice, bob));
        Await.until("Bob has Alice's note", () -> !bobEvents.messages().isEmpty());

        assertTrue(relayLogContains(MARKER), "the relay's log should hold the plaintext marker");
    }

    @Test
    void aTamperedFrameIsRefusedAndBlamedOnTheRelay() {
        Peer alice = peer();
        Peer bob = peer();
        awaitSession(alice, bob);
        relay.tap(frame -> List.of(alter(frame)));
        alice.transport.send(bob.id(), "pay 10".getBytes(UTF_8));
        Await.until(
                "Bob refuses the altered frame", () -> bob.transport.counters().framesRejected() == 1);
        relay.tap(TamperingRelay.HONEST);
        alice.transport.send(bob.id(), "after".getBytes(UTF_8));
        Await.until("Bob has the next frame", () -> !bob.events.messages().isEmpty());

        assertEquals(List.of("after"), texts(bob.events));
        TransportException error = bob.events.errors().get(0);
        assertEquals(Reason.AUTHENTICATION_FAILED, error.reason());
        assertEquals(alice.id(), error.peer().orElseThrow());
        assertTrue(error.getMessage().contains("by the relay"), error.getMessage());
    }

    @Test
    void replayedReorderedAndDroppedFramesAreRefusedOrCounted() {
        Peer alice = peer();
        Peer bob = peer();
        awaitSession(alice, bob);
        AtomicInteger seen = new AtomicInteger();
        AtomicReference<RelayFrame> held = new AtomicReference<>();
        // Frame 1 is repeated, frame 2 is dropped, frame 3 is held back and delivered after frame 4.
        relay.tap(frame -> switch (seen.incrementAndGet()) {
            case 1 -> List.of(frame, frame);
            case 2 -> List.of();
            case 3 -> {
                held.set(frame);
                yield List.of();
            }
            case 4 -> List.of(frame, held.get());
            default -> List.of(frame);
        });
        for (int i = 1; i <= 5; i++) {
            alice.transport.send(bob.id(), ("note " + i).getBytes(UTF_8));
        }
        Await.until("Bob has note 5", () -> texts(bob.events).contains("note 5"));

        assertEquals(List.of("note 1", "note 4", "note 5"), texts(bob.events));
        SecureTransport.Counters counters = bob.transport.counters();
        assertEquals(2, counters.framesReplayed(), "the repeat of note 1 and the late note 3: " + counters);
        assertEquals(2, counters.framesMissing(), "notes 2 and 3 were skipped when note 4 came: " + counters);
        assertEquals(0, counters.framesRejected());
    }

    @Test
    void framesInjectedByTheServerNeverReachTheListener() {
        Peer alice = peer();
        Peer bob = peer();
        awaitSession(alice, bob);
        // A plain envelope, a forged session frame, and garbage, each claiming to be from Alice.
        relay.inject(new RelayFrame(ROOM, alice.id(), bob.id(), new byte[] {0x01, 0x04, 0, 2, 'h', 'i'}));
        byte[] forged = new byte[80];
        forged[0] = 0x02;
        forged[1] = 0x10;
        relay.inject(new RelayFrame(ROOM, alice.id(), bob.id(), forged));
        relay.inject(new RelayFrame(ROOM, alice.id(), bob.id(), new byte[] {0x7f}));
        Await.until("Bob reports the three frames", () -> bob.events.errors().size() >= 3);

        assertTrue(bob.events.messages().isEmpty());
        SecureTransport.Counters counters = bob.transport.counters();
        assertEquals(1, counters.plaintextRefused());
        assertEquals(1, counters.framesUnknownSession());
        assertEquals(1, counters.framesMalformed());
        assertTrue(bob.events.errors().get(0).getMessage().contains("requires encrypted sessions"));
        // The session is intact.
        alice.transport.send(bob.id(), "still fine".getBytes(UTF_8));
        Await.until("Bob has Alice's next note", () -> texts(bob.events).contains("still fine"));
    }

    @Test
    void aPeerWithoutSessionsAndAPeerWithThemEachSayWhy() throws Exception {
        Peer sealed = peer();
        WebSocketTransport plain = plain();
        RecordingListener plainEvents = new RecordingListener();
        plain.start(plainEvents);
        // The sealed peer's handshake reaches the plain one, whose envelope decoder names the reason.
        Await.until(
                "the plain peer receives the sealed peer's init",
                () -> !plainEvents.messages().isEmpty());
        byte[] init = plainEvents.messages().get(0).message();
        UnsupportedVersionException refused = assertThrows(
                UnsupportedVersionException.class,
                () -> EnvelopeCodec.withMaxFrameSize(64 * 1024).decode(init));
        assertTrue(refused.getMessage().contains("the sender requires encrypted sessions"), refused.getMessage());
        // The plain peer's envelope reaches the sealed one, which refuses it and names the peer.
        Await.until("the plain peer sends", () -> plain.send(sealed.id(), new byte[] {0x01, 0x05, 0, 1, 7}));
        // The count goes up before the error is reported: wait for the error.
        Await.until("the sealed peer refuses it", () -> !sealed.events.errors().isEmpty());
        assertEquals(1, sealed.transport.counters().plaintextRefused());

        TransportException error = sealed.events.errors().get(0);
        assertEquals(Reason.ENCRYPTION_REQUIRED, error.reason());
        assertEquals(plain.self(), error.peer().orElseThrow());
        assertTrue(error.getMessage().contains("requires encrypted sessions"), error.getMessage());
        assertTrue(sealed.events.messages().isEmpty());
        assertTrue(sealed.events.connectEvents().isEmpty(), "no session forms with a peer that has none");
    }

    @Test
    void aHandshakeDroppedByTheRelayIsRetried() {
        // The relay drops the first two inits, one from each side: no handshake can complete until
        // a side sends a fresh init.
        AtomicInteger dropped = new AtomicInteger();
        relay.tap(frame -> {
            byte[] payload = frame.payload();
            boolean init = payload.length == 66 && payload[0] == 0x02 && payload[1] == 0x01;
            return init && dropped.getAndIncrement() < 2 ? List.of() : List.of(frame);
        });
        Peer alice = peer();
        Peer bob = peer();
        awaitSession(alice, bob);

        assertTrue(dropped.get() >= 3, "a fresh init passed after the two dropped: " + dropped.get());
        alice.transport.send(bob.id(), "after the retry".getBytes(UTF_8));
        Await.until("Bob has Alice's note", () -> texts(bob.events).contains("after the retry"));
    }

    @Test
    void aServerInTheMiddleOfTheHandshakeGetsNoSession() {
        // The relay swaps the ephemeral key in every init and accept for one of its own.
        byte[] attacker = new byte[32];
        attacker[0] = 9; // the X25519 base point: a valid public key whose private key is 1
        relay.tap(frame -> {
            byte[] payload = frame.payload().clone();
            if (payload.length == 66 && payload[1] == 0x01) {
                System.arraycopy(attacker, 0, payload, 34, 32);
            } else if (payload.length == 162 && payload[1] == 0x02) {
                System.arraycopy(attacker, 0, payload, 66, 32);
            }
            return List.of(new RelayFrame(frame.room(), frame.from(), frame.to(), payload));
        });
        Peer alice = peer();
        Peer bob = peer();
        Await.until(
                "one side refuses the forged handshake",
                () -> alice.transport.counters().handshakesRejected()
                                + bob.transport.counters().handshakesRejected()
                        > 0);

        assertTrue(alice.events.connectEvents().isEmpty());
        assertTrue(bob.events.connectEvents().isEmpty());
        assertFalse(alice.transport.send(bob.id(), "secret".getBytes(UTF_8)));
    }

    // ---------------------------------------------------------------------------------------------

    private record Peer(PeerIdentity identity, SecureTransport transport, RecordingListener events) {
        PeerId id() {
            return identity.peerId();
        }
    }

    private Peer peer() {
        PeerIdentity identity = PeerIdentity.generate();
        WebSocketTransport ws = WebSocketTransport.create(WebSocketTransportConfig.builder(relay.uri(), ROOM, identity)
                .connectTimeout(Duration.ofSeconds(10))
                .build());
        SecureTransport transport = SecureTransport.wrap(ws, identity, ROOM);
        closeables.add(transport::close);
        RecordingListener events = new RecordingListener();
        transport.start(events);
        return new Peer(identity, transport, events);
    }

    private WebSocketTransport plain() {
        WebSocketTransport ws =
                WebSocketTransport.create(WebSocketTransportConfig.builder(relay.uri(), ROOM, PeerIdentity.generate())
                        .build());
        closeables.add(ws::close);
        return ws;
    }

    private static boolean send(WebSocketTransport from, WebSocketTransport to) {
        return from.send(to.self(), (MARKER + " in clear").getBytes(UTF_8));
    }

    private static void awaitSession(Peer a, Peer b) {
        Await.until(
                "Alice and Bob hold a session",
                () -> a.events.isConnectedTo(b.id()) && b.events.isConnectedTo(a.id()),
                () -> "; Alice " + a.transport.counters() + " " + a.events.errors() + ", Bob " + b.transport.counters()
                        + " " + b.events.errors());
    }

    private void assertRelaySawNoMarker() {
        assertTrue(relay.frames().size() > 10, "the relay's log holds the traffic");
        assertFalse(relayLogContains(MARKER), "the relay saw the plaintext marker");
        assertFalse(relayLogContains("Clara"), "the relay saw part of the plaintext");
    }

    private boolean relayLogContains(String text) {
        byte[] needle = text.getBytes(UTF_8);
        for (byte[] frame : relay.frames()) {
            outer:
            for (int i = 0; i + needle.length <= frame.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (frame[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static RelayFrame alter(RelayFrame frame) {
        byte[] payload = frame.payload().clone();
        payload[payload.length - 1] ^= 0x40; // a bit of the tag
        return new RelayFrame(frame.room(), frame.from(), frame.to(), payload);
    }

    private static List<String> texts(RecordingListener events) {
        return events.messages().stream()
                .map(m -> new String(m.message(), UTF_8))
                .toList();
    }
}
