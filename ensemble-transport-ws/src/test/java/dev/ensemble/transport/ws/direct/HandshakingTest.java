package dev.ensemble.transport.ws.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportException.Reason;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The handshake's steps alone: both sides driven by hand, no sockets, no threads. */
class HandshakingTest {
    private static final PeerIdentity ALICE = TestPeers.identity("alice");
    private static final PeerIdentity BOB = TestPeers.identity("bob");
    private static final PeerIdentity CAROL = TestPeers.identity("carol");

    private final Handshaking alice = new Handshaking(ALICE, new SecureRandom());
    private final Handshaking bob = new Handshaking(BOB, new SecureRandom());

    private static Connection dialing(PeerId expected) {
        DialState dial = new DialState(
                new DirectTransportConfig.Dial(URI.create("ws://127.0.0.1:1/"), Optional.ofNullable(expected)));
        return new Connection(null, dial, "ws://127.0.0.1:1/", null);
    }

    private static Connection accepted() {
        return new Connection(null, null, "/127.0.0.1:2", null);
    }

    @Test
    void bothSidesVerifyEachOther() {
        Connection dialer = dialing(BOB.peerId());
        Connection listener = accepted();
        byte[] helloA = alice.start(dialer);
        byte[] helloB = bob.start(listener);
        byte[] proofA = assertInstanceOf(Handshaking.Send.class, alice.onHello(dialer, helloB))
                .frame();
        byte[] proofB = assertInstanceOf(Handshaking.Send.class, bob.onHello(listener, helloA))
                .frame();
        assertInstanceOf(Handshaking.Verified.class, alice.onProof(dialer, proofB));
        assertInstanceOf(Handshaking.Verified.class, bob.onProof(listener, proofA));
        assertEquals(BOB.peerId(), dialer.peer);
        assertEquals(ALICE.peerId(), listener.peer);
    }

    @Test
    void anotherKeyThanTheDialedOneIsRefusedWith4403() {
        Connection dialer = dialing(BOB.peerId());
        alice.start(dialer);
        Handshaking carol = new Handshaking(CAROL, new SecureRandom());
        Handshaking.Refuse refusal =
                assertInstanceOf(Handshaking.Refuse.class, alice.onHello(dialer, carol.start(accepted())));
        assertEquals(DirectTransport.CLOSE_WRONG_NODE, refusal.code());
        assertEquals(Reason.HANDSHAKE_FAILED, refusal.reason());
        assertTrue(refusal.message().contains("expecting node " + BOB.peerId()), refusal.message());
    }

    @Test
    void aNodeThatReachesItselfIsRefused() {
        Connection dialer = dialing(null);
        alice.start(dialer);
        Handshaking.Refuse refusal =
                assertInstanceOf(Handshaking.Refuse.class, alice.onHello(dialer, alice.start(accepted())));
        assertEquals(DirectTransport.CLOSE_WRONG_NODE, refusal.code());
    }

    @Test
    void garbageForAHelloOrAProofIsAProtocolError() {
        Connection listener = accepted();
        bob.start(listener);
        Handshaking.Refuse hello =
                assertInstanceOf(Handshaking.Refuse.class, bob.onHello(listener, new byte[] {1, 2, 3}));
        assertEquals(DirectTransport.CLOSE_PROTOCOL_ERROR, hello.code());
        assertEquals(Reason.PROTOCOL_ERROR, hello.reason());

        Connection other = accepted();
        bob.start(other);
        bob.onHello(other, alice.start(dialing(null)));
        Handshaking.Refuse proof = assertInstanceOf(Handshaking.Refuse.class, bob.onProof(other, new byte[7]));
        assertEquals(DirectTransport.CLOSE_PROTOCOL_ERROR, proof.code());
    }

    @Test
    void aProofThatDoesNotVerifyIsRefusedWith4401() {
        Connection dialer = dialing(null);
        Connection listener = accepted();
        byte[] helloA = alice.start(dialer);
        bob.start(listener);
        bob.onHello(listener, helloA);
        byte[] proofA = ((Handshaking.Send) alice.onHello(dialer, bob.start(accepted()))).frame();
        byte[] forged = Arrays.copyOf(proofA, proofA.length);
        forged[10] ^= 1;
        Handshaking.Refuse refusal = assertInstanceOf(Handshaking.Refuse.class, bob.onProof(listener, forged));
        assertEquals(DirectTransport.CLOSE_BAD_PROOF, refusal.code());
        assertEquals(Reason.AUTHENTICATION_FAILED, refusal.reason());
    }
}
