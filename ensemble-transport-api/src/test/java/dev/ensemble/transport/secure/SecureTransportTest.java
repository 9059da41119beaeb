package dev.ensemble.transport.secure;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.TransportListener;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two and three peers over a {@link Pipe} whose relay is honest or hostile: it tampers with,
 * replays, reorders, drops, injects and re-labels frames, or steps into the handshake. Every case
 * must be detected, counted and named, and no altered byte may reach a listener.
 */
class SecureTransportTest {

    private static final String ROOM = "piano-lobby";
    private static final String MARKER = "Clara Schumann plays the A minor concerto";

    private final Pipe pipe = new Pipe(64 * 1024);
    /** The handshake retries' clock: virtual, moved by {@link #drainUntil}. */
    private final ManualScheduler clock = new ManualScheduler();

    private final PeerIdentity alice = PeerIdentity.fromSeed(seed(1));
    private final PeerIdentity bob = PeerIdentity.fromSeed(seed(2));
    private final PeerIdentity carol = PeerIdentity.fromSeed(seed(3));
    private final List<SecureTransport> created = new ArrayList<>();

    @AfterEach
    void closeTransports() {
        created.forEach(SecureTransport::close);
    }

    @Test
    void peersConnectOnlyOnceTheirSessionIsEstablished() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        pipe.connectAll();
        assertFalse(a.transport.send(bob.peerId(), bytes("too early")), "no session yet");
        pipe.drain();

        assertEquals(List.of(bob.peerId()), a.events.connected);
        assertEquals(List.of(alice.peerId()), b.events.connected);
        assertEquals(1, a.transport.counters().sessionsEstablished());
        assertEquals(1, b.transport.counters().sessionsEstablished());
        assertTrue(a.events.errors.isEmpty(), a.events.errors.toString());
        // Two inits, then one accept, confirm and finished: one handshake although both sides started one.
        assertEquals(5, pipe.frames().size());
    }

    @Test
    void messagesArriveIntactAndTheRelaySeesNoPlaintext() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        for (int i = 0; i < 20; i++) {
            assertTrue(a.transport.send(bob.peerId(), bytes(MARKER + " #" + i)));
            assertTrue(b.transport.send(alice.peerId(), bytes(MARKER + " reply #" + i)));
        }
        pipe.drain();

        assertEquals(20, b.events.messages.size());
        assertEquals(MARKER + " #19", b.events.text(19));
        assertEquals(MARKER + " reply #0", a.events.text(0));
        byte[] marker = bytes("Clara");
        for (byte[] frame : pipe.frames()) {
            assertEquals(-1, indexOf(frame, marker), "the relay saw plaintext");
        }
        assertEquals(0, a.transport.counters().refusedTotal());
        assertEquals(0, b.transport.counters().refusedTotal());
    }

    @Test
    void aTamperedFrameIsDroppedCountedAndBlamedOnTheRelay() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        pipe.tap((from, to, frame) -> {
            byte[] altered = frame.clone();
            altered[altered.length - 20] ^= 0x01; // a bit of the ciphertext
            return List.of(new Pipe.Delivery(from, to, altered));
        });
        assertTrue(a.transport.send(bob.peerId(), bytes("pay 10")));
        pipe.drain();
        pipe.tap(Pipe.HONEST);
        assertTrue(a.transport.send(bob.peerId(), bytes("after")));
        pipe.drain();

        assertEquals(List.of("after"), b.events.texts());
        assertEquals(1, b.transport.counters().framesRejected());
        TransportException error = b.events.onlyError();
        assertEquals(Reason.AUTHENTICATION_FAILED, error.reason());
        assertEquals(alice.peerId(), error.peer().orElseThrow());
        assertTrue(error.getMessage().contains("failed authentication"), error.getMessage());
        assertTrue(error.getMessage().contains("by the relay"), error.getMessage());
    }

    @Test
    void aTamperedHeaderFailsAuthenticationToo() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        pipe.tap((from, to, frame) -> {
            byte[] altered = frame.clone();
            altered[17] ^= 0x05; // the counter's low byte: the header is authenticated data
            return List.of(new Pipe.Delivery(from, to, altered));
        });
        a.transport.send(bob.peerId(), bytes("x"));
        pipe.drain();

        assertTrue(b.events.messages.isEmpty());
        assertEquals(1, b.transport.counters().framesRejected());
    }

    @Test
    void aReplayedFrameIsRefused() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        pipe.tap((from, to, frame) -> List.of(new Pipe.Delivery(from, to, frame), new Pipe.Delivery(from, to, frame)));
        a.transport.send(bob.peerId(), bytes("add one note"));
        pipe.drain();

        assertEquals(List.of("add one note"), b.events.texts());
        assertEquals(1, b.transport.counters().framesReplayed());
        assertTrue(b.events.onlyError().getMessage().contains("replayed or reordered"));
    }

    @Test
    void reorderedFramesKeepTheNewerAndRefuseTheOlder() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        AtomicReference<Pipe.Delivery> held = new AtomicReference<>();
        pipe.tap((from, to, frame) -> {
            if (held.get() == null) {
                held.set(new Pipe.Delivery(from, to, frame));
                return List.of();
            }
            return List.of(new Pipe.Delivery(from, to, frame), held.get());
        });
        a.transport.send(bob.peerId(), bytes("first"));
        a.transport.send(bob.peerId(), bytes("second"));
        pipe.drain();

        assertEquals(List.of("second"), b.events.texts());
        assertEquals(1, b.transport.counters().framesMissing());
        assertEquals(1, b.transport.counters().framesReplayed());
    }

    @Test
    void droppedFramesAreCountedAsMissingAndLaterOnesStillArrive() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        AtomicInteger seen = new AtomicInteger();
        pipe.tap((from, to, frame) ->
                seen.incrementAndGet() <= 3 ? List.of() : List.of(new Pipe.Delivery(from, to, frame)));
        for (int i = 0; i < 5; i++) {
            a.transport.send(bob.peerId(), bytes("note " + i));
        }
        pipe.drain();

        assertEquals(List.of("note 3", "note 4"), b.events.texts());
        assertEquals(3, b.transport.counters().framesMissing());
        assertTrue(b.events.errors.isEmpty(), "loss is counted, not reported as forgery: " + b.events.errors);
    }

    @Test
    void injectedFramesNeverReachTheListener() {
        node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        byte[] sessionFrame = pipe.frames().get(pipe.frames().size() - 1);
        // A forged data frame: the right version and type, a made-up session, random bytes.
        byte[] forged = new byte[60];
        forged[0] = 0x02;
        forged[1] = 0x10;
        pipe.inject(alice.peerId(), bob.peerId(), forged);
        // A frame with a plausible session id (copied from nothing the relay can know) fails the same way.
        byte[] garbage = Arrays.copyOf(sessionFrame, 40);
        garbage[1] = 0x10;
        pipe.inject(alice.peerId(), bob.peerId(), garbage);
        pipe.inject(alice.peerId(), bob.peerId(), new byte[] {0x02});
        pipe.inject(alice.peerId(), bob.peerId(), new byte[] {0x02, 0x7f, 1, 2, 3});
        pipe.drain();

        assertTrue(b.events.messages.isEmpty());
        assertEquals(2, b.transport.counters().framesUnknownSession());
        assertEquals(2, b.transport.counters().framesMalformed());
    }

    @Test
    void aFrameRelabelledAsFromAnotherMemberDoesNotAuthenticate() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        Node c = node(carol, ROOM);
        connect();
        // The relay claims Carol's frame to Bob comes from Alice.
        pipe.tap((from, to, frame) -> from.equals(carol.peerId())
                ? List.of(new Pipe.Delivery(alice.peerId(), to, frame))
                : List.of(new Pipe.Delivery(from, to, frame)));
        assertTrue(c.transport.send(bob.peerId(), bytes("I am Alice")));
        pipe.drain();

        assertTrue(b.events.messages.isEmpty());
        assertEquals(1, b.transport.counters().framesUnknownSession());
        assertTrue(a.events.errors.isEmpty());
    }

    @Test
    void aRelayInTheMiddleOfTheHandshakeIsRefused() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        // The relay swaps the ephemeral key of every init and accept for one of its own.
        byte[] attackerKey = X25519.generate(new SecureRandom()).publicKey();
        pipe.tap((from, to, frame) -> {
            byte[] altered = frame.clone();
            if (frame[1] == 0x01) {
                System.arraycopy(attackerKey, 0, altered, 34, 32);
            } else if (frame[1] == 0x02) {
                System.arraycopy(attackerKey, 0, altered, 66, 32);
            }
            return List.of(new Pipe.Delivery(from, to, altered));
        });
        pipe.connectAll();
        pipe.drain();

        assertTrue(a.events.connected.isEmpty(), "no session may form through a relay in the middle");
        assertTrue(b.events.connected.isEmpty());
        // The initiator (the peer whose id sorts first) finds the accept's signature wrong.
        Events initiator = alice.peerId().compareTo(bob.peerId()) < 0 ? a.events : b.events;
        TransportException error = initiator.onlyError();
        assertEquals(Reason.AUTHENTICATION_FAILED, error.reason());
        assertTrue(error.getMessage().contains("not signed by"), error.getMessage());
    }

    @Test
    void peersOfDifferentRoomsFormNoSession() {
        Node a = node(alice, ROOM);
        Node b = node(bob, "another-room");
        pipe.connectAll();
        pipe.drain();

        assertTrue(a.events.connected.isEmpty());
        assertTrue(b.events.connected.isEmpty());
        assertEquals(
                1,
                a.transport.counters().handshakesRejected()
                        + b.transport.counters().handshakesRejected());
    }

    @Test
    void aReplayedHandshakeLeavesTheSessionIntact() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        List<byte[]> handshake = new ArrayList<>(pipe.frames());
        for (byte[] frame : handshake) {
            pipe.inject(alice.peerId(), bob.peerId(), frame);
            pipe.inject(bob.peerId(), alice.peerId(), frame);
        }
        pipe.drain();
        a.transport.send(bob.peerId(), bytes("still here"));
        b.transport.send(alice.peerId(), bytes("me too"));
        pipe.drain();

        assertEquals(List.of("still here"), b.events.texts());
        assertEquals(List.of("me too"), a.events.texts());
        assertEquals(List.of(bob.peerId()), a.events.connected);
        assertTrue(a.events.disconnected.isEmpty());
        assertEquals(1, a.transport.counters().sessionsEstablished());
    }

    @Test
    void aFloodOfInitsIsAnsweredOnlyAFewTimes() {
        node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        int before = pipe.frames().size();
        // Each init costs its answerer a key agreement and a signature: the relay must not be able to
        // make a peer spend them without bound.
        for (int i = 0; i < 50; i++) {
            byte[] nonce = new byte[SessionKeys.NONCE_BYTES];
            nonce[0] = (byte) i;
            byte[] key = X25519.generate(new SecureRandom()).publicKey();
            pipe.inject(alice.peerId(), bob.peerId(), SessionFrames.frame(SessionFrames.INIT, nonce, key));
        }
        pipe.drain();

        long accepts = pipe.frames().subList(before, pipe.frames().size()).stream()
                .filter(f -> f[1] == SessionFrames.ACCEPT)
                .count();
        assertTrue(accepts >= 1 && accepts <= 4, accepts + " accepts sent");
        assertTrue(
                b.transport.counters().handshakesRejected() >= 46,
                b.transport.counters().toString());
        assertTrue(b.transport.send(alice.peerId(), bytes("still here")));
    }

    @Test
    void theListenerIsCalledWithoutTheSessionLockHeld() throws Exception {
        node(alice, ROOM);
        // Bob's listener closes his transport from another thread when the session forms, and waits:
        // close() takes each peer's lock, so a listener called under it would wait forever.
        SecureTransport bobTransport =
                SecureTransport.wrap(pipe.endpoint(bob.peerId()), bob, ROOM, clock, RetryPolicy.DEFAULT);
        created.add(bobTransport);
        AtomicBoolean closedInTime = new AtomicBoolean();
        bobTransport.start(new Events() {
            @Override
            public void onPeerConnected(PeerId peer) {
                Thread closer = new Thread(bobTransport::close, "closer");
                closer.start();
                try {
                    closer.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                closedInTime.set(!closer.isAlive());
            }
        });
        connect();

        assertTrue(closedInTime.get(), "close() waited for a lock the listener's caller held");
    }

    @Test
    void aPlainEnvelopeIsRefusedWithAClearError() {
        node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        pipe.inject(alice.peerId(), bob.peerId(), new byte[] {0x01, 0x04, 0x00, 0x02, 'h', 'i'});
        pipe.drain();

        assertTrue(b.events.messages.isEmpty());
        TransportException error = b.events.onlyError();
        assertEquals(Reason.ENCRYPTION_REQUIRED, error.reason());
        assertTrue(error.getMessage().startsWith("peer " + alice.peerId() + " sent an unencrypted frame"));
        assertTrue(error.getMessage().contains("requires encrypted sessions"));
    }

    @Test
    void aRestartedPeerGetsANewSessionAndIsReportedAsReconnecting() {
        Node a = node(alice, ROOM);
        node(bob, ROOM);
        connect();
        // Bob restarts: the same identity, a new process; the network reports it as a reconnect.
        Node bobAgain = node(bob, ROOM);
        pipe.drain();
        pipe.connectAll();
        pipe.drain();

        assertEquals(List.of(bob.peerId()), a.events.disconnected);
        assertEquals(List.of(bob.peerId(), bob.peerId()), a.events.connected);
        assertTrue(a.transport.send(bob.peerId(), bytes("welcome back")));
        pipe.drain();
        assertEquals(List.of("welcome back"), bobAgain.events.texts());
    }

    @Test
    void aMessageTheInnerTransportRefusesBurnsItsCounter() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        pipe.get(alice.peerId()).full = true;
        assertFalse(a.transport.send(bob.peerId(), bytes("refused")));
        pipe.get(alice.peerId()).full = false;
        assertTrue(a.transport.send(bob.peerId(), bytes("accepted")));
        pipe.drain();

        // An inner transport that sent the refused frame anyway must not have made the next one
        // reuse its nonce: the next frame takes the next counter, and the receiver sees a gap.
        byte[] last = pipe.frames().get(pipe.frames().size() - 1);
        assertEquals(1L, ByteBuffer.wrap(last, 10, Long.BYTES).getLong(), "the refused frame's counter is spent");
        assertEquals(List.of("accepted"), b.events.texts());
        assertEquals(1, b.transport.counters().framesMissing());
        assertEquals(0, b.transport.counters().framesRejected());
        // A gap is loss, not forgery: counted, not reported as an authentication failure.
        assertTrue(b.events.errors.isEmpty(), b.events.errors.toString());
    }

    @Test
    void aLostAcceptInTheFirstHandshakeIsRecovered() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        pipe.tap(dropFirst(SessionFrames.ACCEPT));
        pipe.connectAll();
        pipe.drain();

        assertRecovers(a, b);
    }

    @Test
    void aLostConfirmInTheFirstHandshakeIsRecovered() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        pipe.tap(dropFirst(SessionFrames.CONFIRM));
        pipe.connectAll();
        pipe.drain();

        assertRecovers(a, b);
    }

    @Test
    void aLostAcceptInAReHandshakeIsRecovered() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        pipe.tap(dropFirst(SessionFrames.ACCEPT));
        reconnectSeenByAliceOnly();

        assertRecovers(a, b);
    }

    @Test
    void aLostConfirmInAReHandshakeIsRecovered() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        // Alice alone sees Bob leave and come back (a relay's word), so she alone starts the new
        // handshake while Bob keeps the old session; the relay then drops her confirm.
        pipe.tap(dropFirst(SessionFrames.CONFIRM));
        reconnectSeenByAliceOnly();

        assertRecovers(a, b);
    }

    @Test
    void aRefusedAcceptInAReHandshakeIsRecovered() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        pipe.get(bob.peerId()).refuse = refuseFirst(SessionFrames.ACCEPT);
        reconnectSeenByAliceOnly();

        assertRecovers(a, b);
    }

    @Test
    void aRefusedConfirmInAReHandshakeIsRecovered() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        pipe.get(alice.peerId()).refuse = refuseFirst(SessionFrames.CONFIRM);
        reconnectSeenByAliceOnly();

        assertRecovers(a, b);
    }

    @Test
    void aLateAcceptToARetriedInitStartsNoSecondSession() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        // Alice alone starts a new handshake; the relay holds Bob's finished until her retried init
        // has gone out and Bob has answered it, then hands her the finished and that late accept.
        AtomicReference<Pipe.Delivery> finished = new AtomicReference<>();
        AtomicBoolean released = new AtomicBoolean();
        pipe.tap((from, to, frame) -> {
            if (frame[1] == SessionFrames.FINISHED && !released.get() && finished.get() == null) {
                finished.set(new Pipe.Delivery(from, to, frame));
                return List.of();
            }
            if (frame[1] == SessionFrames.ACCEPT && finished.get() != null && released.compareAndSet(false, true)) {
                return List.of(finished.get(), new Pipe.Delivery(from, to, frame));
            }
            return List.of(new Pipe.Delivery(from, to, frame));
        });
        reconnectSeenByAliceOnly();
        // Alice's retry goes out 2 s later (virtual time); Bob's answer releases the finished.
        drainUntil("Bob answers Alice's retried init", released::get);
        pipe.drain();

        assertRecovers(a, b);
        // The first session, then the one Alice started; the late accept starts none.
        assertEquals(2, a.transport.counters().sessionsEstablished());
        assertEquals(2, b.transport.counters().sessionsEstablished());
    }

    @Test
    void theLimitLeavesRoomForTheSessionOverhead() {
        Node a = node(alice, ROOM);
        Node b = node(bob, ROOM);
        connect();
        int limit = a.transport.maxMessageSize();
        assertEquals(64 * 1024 - 34, limit);
        assertTrue(a.transport.send(bob.peerId(), new byte[limit]));
        assertFalse(a.transport.send(bob.peerId(), new byte[limit + 1]));
        pipe.drain();
        assertEquals(limit, b.events.messages.get(0).length);
    }

    // ---------------------------------------------------------------------------------------------

    /** The inner transport tells Alice, and only her, that Bob left and came back. */
    private void reconnectSeenByAliceOnly() {
        TransportListener inner = pipe.get(alice.peerId()).listener;
        inner.onPeerDisconnected(bob.peerId(), "the relay says Bob left");
        inner.onPeerConnected(bob.peerId());
        pipe.drain();
    }

    /** A relay that drops the first handshake frame of {@code type} and forwards everything else. */
    private static Pipe.Tap dropFirst(byte type) {
        AtomicBoolean dropped = new AtomicBoolean();
        return (from, to, frame) -> frame.length > 1 && frame[1] == type && dropped.compareAndSet(false, true)
                ? List.of()
                : List.of(new Pipe.Delivery(from, to, frame));
    }

    /** An inner transport whose queue is full when the first handshake frame of {@code type} goes out. */
    private static Predicate<byte[]> refuseFirst(byte type) {
        AtomicBoolean refused = new AtomicBoolean();
        return frame -> frame.length > 1 && frame[1] == type && refused.compareAndSet(false, true);
    }

    /**
     * Asserts that the pair exchanges messages again both ways once the relay behaves: each round
     * sends a probe either way, drains the pipe and lets the handshake retries (2 s and up, virtual) fire.
     */
    private void assertRecovers(Node a, Node b) {
        pipe.tap(Pipe.HONEST);
        AtomicInteger round = new AtomicInteger();
        drainUntil("messages flow both ways again", () -> {
            int n = round.incrementAndGet();
            a.transport.send(bob.peerId(), bytes("probe " + n));
            b.transport.send(alice.peerId(), bytes("reply " + n));
            pipe.drain();
            return b.events.texts().stream().anyMatch(t -> t.startsWith("probe"))
                    && a.events.texts().stream().anyMatch(t -> t.startsWith("reply"));
        });
        // And from now on every message arrives.
        int before = b.events.messages.size();
        assertTrue(a.transport.send(bob.peerId(), bytes("steady")));
        pipe.drain();
        assertEquals(before + 1, b.events.messages.size());
        assertEquals(List.of(bob.peerId()), List.copyOf(new java.util.LinkedHashSet<>(a.events.connected)));
    }

    /**
     * Drains the pipe until {@code condition} holds, moving the retries' virtual clock on by a second
     * between tries; fails after 120 virtual seconds (a handshake retried 2, 4, 8, 16 and 30 s apart
     * has had six tries by then).
     */
    private void drainUntil(String what, BooleanSupplier condition) {
        for (int second = 0; second <= 120; second++) {
            pipe.drain();
            if (condition.getAsBoolean()) {
                return;
            }
            clock.advance(Duration.ofSeconds(1));
        }
        fail("not the case after 120 s of virtual time: " + what);
    }

    private void connect() {
        pipe.connectAll();
        pipe.drain();
    }

    private Node node(PeerIdentity identity, String room) {
        Node node = new Node(
                SecureTransport.wrap(pipe.endpoint(identity.peerId()), identity, room, clock, RetryPolicy.DEFAULT));
        created.add(node.transport);
        node.transport.start(node.events);
        return node;
    }

    private record Node(SecureTransport transport, Events events) {
        Node(SecureTransport transport) {
            this(transport, new Events());
        }
    }

    private static class Events extends TransportListener {
        final List<PeerId> connected = new ArrayList<>();
        final List<PeerId> disconnected = new ArrayList<>();
        final List<byte[]> messages = new ArrayList<>();
        final List<TransportException> errors = new ArrayList<>();

        @Override
        public void onPeerConnected(PeerId peer) {
            connected.add(peer);
        }

        @Override
        public void onPeerDisconnected(PeerId peer, String reason) {
            disconnected.add(peer);
        }

        @Override
        public void onMessage(PeerId from, byte[] message) {
            messages.add(message);
        }

        @Override
        public void onError(TransportException error) {
            errors.add(error);
        }

        String text(int index) {
            return new String(messages.get(index), UTF_8);
        }

        List<String> texts() {
            return messages.stream().map(m -> new String(m, UTF_8)).toList();
        }

        TransportException onlyError() {
            assertTrue(!errors.isEmpty(), "an error was expected");
            return errors.get(0);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static byte[] seed(int n) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) n);
        return seed;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
