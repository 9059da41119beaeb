package dev.ensemble.transport.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.transport.TestPeers;
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

    @Test
    void acceptsAGenuineDescriptionAfterTheJsonRoundTrip() throws MalformedSignalException {
        Signal.Description signed = offer("4611731400430051336", 2);
        Signal decoded = SignalCodec.fromJson(SignalCodec.toJsonString(signed));
        assertEquals(signed, decoded);
        assertNull(bob.check(ALICE.peerId(), (Signal.Description) decoded));
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
        String refused = bob.check(ALICE.peerId(), swapped);
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
        assertNotNull(bob.check(ALICE.peerId(), forCarol), "made for Carol, relayed to Bob");
        Signal.Description otherRoom = new DescriptionSigner(ALICE, "another-room")
                .sign(BOB.peerId(), new Signal.Description(Signal.Type.OFFER, sdp("1", 2, FINGERPRINT), "a1", null));
        assertNotNull(bob.check(ALICE.peerId(), otherRoom), "made in another room");
        assertNotNull(bob.check(CAROL.peerId(), offer("1", 2)), "Alice's, relabelled as Carol's");
        Signal.Description otherSession = offer("1", 2);
        Signal.Description resessioned =
                new Signal.Description(otherSession.type(), otherSession.sdp(), "a2", null, otherSession.signature());
        assertNotNull(bob.check(ALICE.peerId(), resessioned), "session token changed");
    }

    @Test
    void refusesAnUnsignedDescription() {
        String refused = bob.check(
                ALICE.peerId(), new Signal.Description(Signal.Type.OFFER, sdp("1", 2, FINGERPRINT), "a1", null));
        assertTrue(refused.startsWith("it is unsigned"), refused);
    }

    @Test
    void refusesReplaysOfOlderDescriptionsAndOfEarlierConnections() {
        Signal.Description first = offer("111", 2);
        Signal.Description renegotiated = offer("111", 3);
        Signal.Description nextConnection = offer("222", 2);
        assertNull(bob.check(ALICE.peerId(), first));
        assertNull(bob.check(ALICE.peerId(), first), "the latest description again is harmless and accepted");
        assertNull(bob.check(ALICE.peerId(), renegotiated));
        assertTrue(bob.check(ALICE.peerId(), first).contains("a replayed signal"));
        assertNull(bob.check(ALICE.peerId(), nextConnection));
        String refused = bob.check(ALICE.peerId(), renegotiated);
        assertTrue(refused.startsWith("it belongs to an earlier connection"), refused);
    }
}
