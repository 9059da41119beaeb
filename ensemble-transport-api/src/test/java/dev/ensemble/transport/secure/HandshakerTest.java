package dev.ensemble.transport.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The handshake state machine alone, with no transport: the frames each side sends are collected in
 * lists and handed to the other by the test, one at a time.
 */
class HandshakerTest {

    private final PeerIdentity alice = PeerIdentity.fromSeed(seed(1));
    private final PeerIdentity bob = PeerIdentity.fromSeed(seed(2));
    private final ManualScheduler clock = new ManualScheduler();
    private final Side a = new Side(alice, bob.peerId());
    private final Side b = new Side(bob, alice.peerId());

    @Test
    void fourFramesEstablishOneSessionOnEachSide() throws Exception {
        a.handshaker.start(a.peer);
        byte[] init = a.only(SessionFrames.INIT);
        b.handshaker.onFrame(b.peer, init, b);
        byte[] accept = b.only(SessionFrames.ACCEPT);
        assertNull(b.peer.session, "the responder waits for the initiator's confirm");
        a.handshaker.onFrame(a.peer, accept, a);
        byte[] confirm = a.only(SessionFrames.CONFIRM);
        assertNull(a.peer.session, "the initiator waits for the responder's finished");
        b.handshaker.onFrame(b.peer, confirm, b);
        assertNotNull(b.peer.session);
        a.handshaker.onFrame(a.peer, b.only(SessionFrames.FINISHED), a);
        assertNotNull(a.peer.session);

        assertEquals(List.of("connected " + bob.peerId()), a.events);
        assertEquals(List.of("connected " + alice.peerId()), b.events);
        List<byte[]> sealed = new ArrayList<>();
        a.peer.session.sendNext("hi".getBytes(StandardCharsets.UTF_8), sealed::add);
        assertArrayEquals(
                "hi".getBytes(StandardCharsets.UTF_8),
                b.peer.session.open(sealed.get(0)).plaintext());
        assertEquals(0, clock.pending(), "the initiator's retry is called off once established");
    }

    @Test
    void anAcceptSignedByAnotherKeyIsRefusedAndNamesThePeer() {
        a.handshaker.start(a.peer);
        byte[] init = a.only(SessionFrames.INIT);
        b.handshaker.onFrame(b.peer, init, b);
        byte[] accept = b.only(SessionFrames.ACCEPT);
        accept[accept.length - 1] ^= 1;
        a.handshaker.onFrame(a.peer, accept, a);

        assertNull(a.peer.session);
        assertEquals(1, a.counts.handshakesRejected.get());
        assertEquals(1, a.events.size());
        assertTrue(
                a.events
                        .get(0)
                        .startsWith("refused " + bob.peerId() + ": session handshake with peer " + bob.peerId()
                                + " refused: its accept is not signed by "
                                + bob.peerId().shortForm()),
                a.events.get(0));
    }

    @Test
    void inGlareThePeerWhoseIdSortsFirstKeepsItsInit() {
        a.handshaker.start(a.peer);
        b.handshaker.start(b.peer);
        Side first = alice.peerId().toString().compareTo(bob.peerId().toString()) < 0 ? a : b;
        Side second = first == a ? b : a;
        first.handshaker.onFrame(first.peer, second.only(SessionFrames.INIT), first);
        second.handshaker.onFrame(second.peer, first.only(SessionFrames.INIT), second);

        assertTrue(first.sent.isEmpty(), "the side that sorts first ignores the other's init");
        assertEquals(1, second.sent.size());
        assertEquals(SessionFrames.ACCEPT, second.sent.get(0)[1], "the other answers");
    }

    @Test
    void aMalformedHandshakeFrameIsRefusedWithItsLength() {
        b.handshaker.onFrame(b.peer, new byte[] {SessionFrames.VERSION, SessionFrames.CONFIRM, 1, 2}, b);
        assertEquals(
                List.of("refused " + alice.peerId() + ": session handshake with peer " + alice.peerId()
                        + " refused: its confirm frame has 4 bytes, expected 130"),
                b.events);
    }

    /** One side: its handshaker, its state of the other peer, what it sent and what it was told. */
    private final class Side implements Handshaker.Events {
        final PeerState peer;
        final RefusalCounts counts = new RefusalCounts();
        final List<byte[]> sent = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        final List<TransportException> gaveUp = new ArrayList<>();
        final Handshaker handshaker;

        Side(PeerIdentity self, PeerId other) {
            peer = new PeerState(other);
            handshaker = new Handshaker(
                    self,
                    "lobby",
                    new SecureRandom(),
                    (to, frame) -> sent.add(frame),
                    clock,
                    RetryPolicy.DEFAULT,
                    counts,
                    state -> true,
                    gaveUp::add);
        }

        /** The one frame this side sent since last asked, which must be of {@code type}. */
        byte[] only(byte type) {
            assertEquals(1, sent.size(), "frames sent");
            byte[] frame = sent.remove(0);
            assertEquals(SessionFrames.typeName(type), SessionFrames.typeName(frame[1]));
            return frame;
        }

        @Override
        public void connected(PeerId peer) {
            events.add("connected " + peer);
        }

        @Override
        public void disconnected(PeerId peer, String reason) {
            events.add("disconnected " + peer + ": " + reason);
        }

        @Override
        public void refused(PeerId peer, String message) {
            events.add("refused " + peer + ": " + message);
        }
    }

    private static byte[] seed(int n) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) n);
        return seed;
    }
}
