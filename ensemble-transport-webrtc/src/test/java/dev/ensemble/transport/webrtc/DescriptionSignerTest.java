package dev.ensemble.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.webrtc.signal.MalformedSignalException;
import dev.ensemble.transport.webrtc.signal.Signal;
import dev.ensemble.transport.webrtc.signal.SignalCodec;
import org.junit.jupiter.api.Test;

/** Signing and checking descriptions, without natives: what a hostile signaling server may try. */
class DescriptionSignerTest {

    private static final PeerIdentity ALICE = TestPeers.identityOf(TestPeers.id("signer-alice"));
    private static final PeerIdentity BOB = TestPeers.identityOf(TestPeers.id("signer-bob"));
    private static final PeerIdentity CAROL = TestPeers.identityOf(TestPeers.id("signer-carol"));
    private static final String FINGERPRINT =
            "a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:B2:C6:95:32:E0:E1:36:8B:2E:3C:9D:72";

    private final DescriptionSigner alice = new DescriptionSigner(ALICE, "lobby");
    private final DescriptionSigner bob = new DescriptionSigner(BOB, "lobby");

    static String sdp(String id, int version, String fingerprint) {
        return "v=0\r\no=- " + id + " " + version + " IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" + fingerprint + "\r\n";
    }

    private Signal.Description offer(String id, int version) {
        return alice.sign(
                BOB.peerId(), new Signal.Description(Signal.Type.OFFER, sdp(id, version, FINGERPRINT), "a1", null));
    }

    /** Bob's check, with no connection of his bound yet: what {@code check} refuses, or {@code null}. */
    private String check(PeerId from, Signal.Description description) {
        return reason(bob.check(from, description, null));
    }

    private static String reason(DescriptionSigner.Verdict verdict) {
        return verdict.accepted() ? null : verdict.reason();
    }

    @Test
    void acceptsAGenuineDescriptionAfterTheJsonRoundTrip() throws MalformedSignalException {
        Signal.Description signed = offer("4611731400430051336", 2);
        Signal decoded = SignalCodec.fromJson(SignalCodec.toJsonString(signed));
        assertEquals(signed, decoded);
        assertNull(check(ALICE.peerId(), (Signal.Description) decoded));
    }

    @Test
    void refusesASwappedFingerprint() {
        Signal.Description signed = offer("1", 2);
        Signal.Description swapped = new Signal.Description(
                signed.type(),
                signed.sdp().replace("4A:AD", "00:11"),
                signed.session(),
                signed.peerSession(),
                signed.signature());
        String refused = check(ALICE.peerId(), swapped);
        assertNotNull(refused);
        assertTrue(
                refused.startsWith(
                        "its signature does not verify with " + ALICE.peerId().shortForm()),
                refused);
    }

    @Test
    void refusesADescriptionForAnotherPeerOrRoomOrFromAnotherSender() {
        Signal.Description forCarol = alice.sign(
                CAROL.peerId(), new Signal.Description(Signal.Type.OFFER, sdp("1", 2, FINGERPRINT), "a1", null));
        assertNotNull(check(ALICE.peerId(), forCarol), "made for Carol, relayed to Bob");
        Signal.Description otherRoom = new DescriptionSigner(ALICE, "another-room")
                .sign(BOB.peerId(), new Signal.Description(Signal.Type.OFFER, sdp("1", 2, FINGERPRINT), "a1", null));
        assertNotNull(check(ALICE.peerId(), otherRoom), "made in another room");
        assertNotNull(check(CAROL.peerId(), offer("1", 2)), "Alice's, relabelled as Carol's");
        Signal.Description otherSession = offer("1", 2);
        Signal.Description resessioned =
                new Signal.Description(otherSession.type(), otherSession.sdp(), "a2", null, otherSession.signature());
        assertNotNull(check(ALICE.peerId(), resessioned), "session token changed");
    }

    @Test
    void refusesAnUnsignedDescription() {
        String refused =
                check(ALICE.peerId(), new Signal.Description(Signal.Type.OFFER, sdp("1", 2, FINGERPRINT), "a1", null));
        assertTrue(refused.startsWith("it is unsigned"), refused);
    }

    @Test
    void refusesReplaysOfOlderDescriptionsAndOfEarlierConnections() {
        Signal.Description first = offer("111", 2);
        Signal.Description renegotiated = offer("111", 3);
        Signal.Description nextConnection = offer("222", 2);
        assertNull(check(ALICE.peerId(), first));
        assertNull(check(ALICE.peerId(), first), "the latest description again is harmless and accepted");
        assertNull(check(ALICE.peerId(), renegotiated));
        assertTrue(check(ALICE.peerId(), first).contains("a replayed signal"));
        assertNull(check(ALICE.peerId(), nextConnection));
        String refused = check(ALICE.peerId(), renegotiated);
        assertTrue(refused.startsWith("it belongs to an earlier connection"), refused);
    }

    @Test
    void aReplayedOfferOfAnOlderSessionThatWasNeverSeenDoesNotPoisonFreshness() {
        // Alice's first connection a1 is bound to Bob's connection b1.
        assertNull(reason(bob.check(ALICE.peerId(), offer("111", 2), "b1")));
        // Long ago Alice re-offered in her connection a0, bound to Bob's b0; the server withheld it
        // and now replays it. Bob never saw its SDP session, so freshness alone cannot tell.
        Signal.Description withheld = alice.sign(
                BOB.peerId(), new Signal.Description(Signal.Type.OFFER, sdp("999", 5, FINGERPRINT), "a0", "b0"));
        DescriptionSigner.Verdict replayed = bob.check(ALICE.peerId(), withheld, "b1");
        assertEquals(DescriptionSigner.Outcome.STALE, replayed.outcome());
        assertEquals("it belongs to this peer's connection b0, not the current b1", replayed.reason());
        // Alice's genuine re-offer in her current connection must still be accepted.
        Signal.Description genuine = alice.sign(
                BOB.peerId(), new Signal.Description(Signal.Type.OFFER, sdp("111", 3, FINGERPRINT), "a1", "b1"));
        assertNull(reason(bob.check(ALICE.peerId(), genuine, "b1")));
        // With no connection of Bob's at all, a description naming one is stale too.
        assertEquals(
                DescriptionSigner.Outcome.STALE,
                bob.check(ALICE.peerId(), withheld, null).outcome());
    }

    @Test
    void aFloodOfStrangersIsBoundedAndDoesNotPushOutAWantedPeer() {
        DescriptionSigner bob = new DescriptionSigner(BOB, "lobby", 16);
        bob.pinWhile(ALICE.peerId()::equals);
        assertNull(reason(bob.check(ALICE.peerId(), offer("111", 2), null)));
        assertNull(reason(bob.check(ALICE.peerId(), offer("222", 2), null)));
        // A hostile server signs as any number of fresh keys, each with a valid description.
        for (int i = 0; i < 16 + 50; i++) {
            PeerIdentity stranger = PeerIdentity.generate();
            Signal.Description signed = new DescriptionSigner(stranger, "lobby")
                    .sign(
                            BOB.peerId(),
                            new Signal.Description(Signal.Type.OFFER, sdp("1", 2, FINGERPRINT), "s1", null));
            assertNull(reason(bob.check(stranger.peerId(), signed, null)));
        }
        assertEquals(16, bob.trackedSenders());
        String refused = reason(bob.check(ALICE.peerId(), offer("111", 3), null));
        assertTrue(refused != null && refused.startsWith("it belongs to an earlier connection"), refused);
    }
}
