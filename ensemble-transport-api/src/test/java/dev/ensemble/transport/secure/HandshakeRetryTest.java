package dev.ensemble.transport.secure;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.TransportListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Handshake retries toward a peer that never answers, on virtual time: they stop after the policy's
 * last init with an event naming the peer, and start again when the peer is heard from or reconnects.
 */
class HandshakeRetryTest {

    private static final String ROOM = "retry-room";

    private final Pipe pipe = new Pipe(64 * 1024);
    private final ManualScheduler clock = new ManualScheduler();
    private final PeerIdentity alice = PeerIdentity.fromSeed(seed(1));
    private final PeerIdentity bob = PeerIdentity.fromSeed(seed(2));
    private final List<SecureTransport> created = new ArrayList<>();
    /** The sender of every init the relay passed. */
    private final List<PeerId> inits = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeTransports() {
        created.forEach(SecureTransport::close);
    }

    @Test
    void givesUpOnAPeerThatAnswersNoInitAndNamesIt() {
        Events a = aliceWithSilentBob();

        // Seven retries, the last at 120 s: still trying, nothing reported.
        advance(Duration.ofSeconds(149));
        assertEquals(8, initsFrom(alice));
        assertTrue(a.errors.isEmpty(), a.errors.toString());

        advance(Duration.ofSeconds(1));
        assertEquals(1, a.errors.size(), a.errors.toString());
        TransportException gaveUp = a.errors.get(0);
        assertEquals(Reason.PEER_UNREACHABLE, gaveUp.reason());
        assertEquals(bob.peerId(), gaveUp.peer().orElseThrow());
        assertEquals(
                "no session with peer " + bob.peerId() + ": it answered none of 8 session inits over 150 s (it is"
                        + " gone while the relay still lists it, or it does not speak encrypted sessions); giving up"
                        + " until it reconnects or sends again",
                gaveUp.getMessage());

        // And no more inits, however long nobody answers.
        advance(Duration.ofHours(1));
        assertEquals(8, initsFrom(alice));
        assertEquals(1, a.errors.size());
        assertEquals(0, clock.pending());
    }

    @Test
    void resumesWhenThePeerSpeaksAgain() {
        Events a = aliceWithSilentBob();
        advance(Duration.ofSeconds(150));
        assertEquals(1, a.errors.size());

        // Bob's endpoint starts speaking sessions: his init reaches Alice, who answers it.
        Events b = new Events();
        SecureTransport bobTransport =
                SecureTransport.wrap(pipe.get(bob.peerId()), bob, ROOM, clock, RetryPolicy.DEFAULT);
        created.add(bobTransport);
        bobTransport.start(b);
        pipe.get(bob.peerId()).listener.onPeerConnected(alice.peerId());
        pipe.drain();

        assertEquals(List.of(bob.peerId()), a.connected);
        assertEquals(List.of(alice.peerId()), b.connected);
        assertEquals(8, initsFrom(alice), "Alice answers Bob's init; she need not send one of her own");
        assertTrue(bobTransport.send(alice.peerId(), "back".getBytes(UTF_8)));
        pipe.drain();
        assertEquals("back", new String(a.messages.get(0), UTF_8));
    }

    @Test
    void aFrameOtherThanAnInitMakesItTryAgainForAnotherRound() {
        Events a = aliceWithSilentBob();
        advance(Duration.ofSeconds(150));

        // Something from Bob that is not an init (here a data frame of a session Alice does not hold).
        byte[] stray = new byte[Session.OVERHEAD + 1];
        stray[0] = SessionFrames.VERSION;
        stray[1] = SessionFrames.DATA;
        pipe.inject(bob.peerId(), alice.peerId(), stray);
        pipe.drain();
        assertEquals(9, initsFrom(alice), "a fresh init at once");

        advance(Duration.ofSeconds(150));
        assertEquals(16, initsFrom(alice), "a whole new round of eight");
        assertEquals(
                2,
                a.errors.stream()
                        .filter(e -> e.reason() == Reason.PEER_UNREACHABLE)
                        .count(),
                a.errors.toString());
        advance(Duration.ofHours(1));
        assertEquals(16, initsFrom(alice));
    }

    @Test
    void resumesWhenTheInnerTransportReportsThePeerAgain() {
        Events a = aliceWithSilentBob();
        advance(Duration.ofSeconds(150));

        // Bob comes back as a new endpoint with sessions; the relay reports him gone and back.
        Events b = new Events();
        SecureTransport bobTransport =
                SecureTransport.wrap(pipe.endpoint(bob.peerId()), bob, ROOM, clock, RetryPolicy.DEFAULT);
        created.add(bobTransport);
        bobTransport.start(b);
        pipe.connectAll();
        pipe.drain();

        assertEquals(List.of(bob.peerId()), a.connected);
        assertEquals(List.of(alice.peerId()), b.connected);
        assertEquals(1, a.errors.size(), a.errors.toString());
    }

    // ---------------------------------------------------------------------------------------------

    /** Alice with sessions, and Bob's endpoint, connected to her, that never says anything. */
    private Events aliceWithSilentBob() {
        pipe.tap((from, to, frame) -> {
            if (frame.length == SessionFrames.INIT_BYTES && frame[1] == SessionFrames.INIT) {
                inits.add(from);
            }
            return List.of(new Pipe.Delivery(from, to, frame));
        });
        Events a = new Events();
        SecureTransport transport =
                SecureTransport.wrap(pipe.endpoint(alice.peerId()), alice, ROOM, clock, RetryPolicy.DEFAULT);
        created.add(transport);
        transport.start(a);
        pipe.endpoint(bob.peerId()).start(new TransportListener() {});
        pipe.connectAll();
        pipe.drain();
        assertEquals(1, initsFrom(alice));
        return a;
    }

    /** Moves virtual time forward one second at a time, delivering what each step sends. */
    private void advance(Duration by) {
        for (long s = 0; s < by.toSeconds(); s++) {
            clock.advance(Duration.ofSeconds(1));
            pipe.drain();
        }
    }

    private long initsFrom(PeerIdentity sender) {
        return inits.stream().filter(sender.peerId()::equals).count();
    }

    private static final class Events extends TransportListener {
        final List<PeerId> connected = new CopyOnWriteArrayList<>();
        final List<byte[]> messages = new CopyOnWriteArrayList<>();
        final List<TransportException> errors = new CopyOnWriteArrayList<>();

        @Override
        public void onPeerConnected(PeerId peer) {
            connected.add(peer);
        }

        @Override
        public void onMessage(PeerId from, byte[] message) {
            messages.add(message);
        }

        @Override
        public void onError(TransportException error) {
            errors.add(error);
        }
    }

    private static byte[] seed(int n) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) n);
        return seed;
    }
}
