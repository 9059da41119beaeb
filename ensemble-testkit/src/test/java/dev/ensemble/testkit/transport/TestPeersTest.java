package dev.ensemble.testkit.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import org.junit.jupiter.api.Test;

class TestPeersTest {

    private static final String SPEC_DID = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH";

    @Test
    void testPeersAreRealRepeatableDidKeysThatNameThemselves() {
        PeerId alice = TestPeers.id("alice");
        assertEquals(alice, PeerId.parse(alice.toString()));
        assertEquals(alice, TestPeers.id("alice"));
        assertFalse(alice.equals(TestPeers.id("bob")));
        assertEquals("alice", TestPeers.nameOf(alice));
        assertEquals("z6Mk...sdvktH", TestPeers.nameOf(PeerId.parse(SPEC_DID)));
        byte[] signed = TestPeers.identity("alice").sign(new byte[] {7});
        assertTrue(alice.verify(new byte[] {7}, signed));
    }

    @Test
    void theIdentityOfATestPeerHasItsKeyAndOthersAreRefusedByName() {
        PeerIdentity carol = TestPeers.identity("carol");
        assertSame(carol, TestPeers.identityOf(TestPeers.id("carol")));
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> TestPeers.identityOf(PeerId.parse(SPEC_DID)));
        assertEquals(
                "peer " + SPEC_DID + " was not made by TestPeers.id(name); its private key is unknown",
                unknown.getMessage());
    }
}
