package dev.ensemble.transport.ws.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerIdentity;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The handshake's frames and transcript, without sockets; the vectors are the ones in
 * docs/PROTOCOL.md, "Direct connection" (Ed25519 signatures are deterministic).
 */
class DirectHandshakeTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final PeerIdentity DIALER = TestPeers.identity("alice");
    private static final PeerIdentity LISTENER = TestPeers.identity("bob");
    private static final byte[] DIALER_NONCE = filled(0x01);
    private static final byte[] LISTENER_NONCE = filled(0x02);

    static final String DIALER_HELLO = "01013659f067568a0a3c9cf0c36beeb7ca4a5b2f897e610f24b68eb8189454ef8321"
            + "0101010101010101010101010101010101010101010101010101010101010101";
    static final String DIALER_PROOF = "010257ec18660e049aab2b8df331aa6dfe6c3a1eff856d2d9e5c77eff2fd65f18f57"
            + "21698cf93e400cdef633af5dc5642ff15218efcb7c71f9042335b9c43575df08";
    static final String LISTENER_PROOF = "01025a293941dfc029ac5e602f7a12cee82132249448e8ce20b4e701358b2b060c65"
            + "d7c1ece9acd36ec58f6644f98954c488fbec0cb41e702635d3e66a8d1a884f0f";

    private static byte[] filled(int value) {
        byte[] nonce = new byte[DirectHandshake.NONCE_BYTES];
        Arrays.fill(nonce, (byte) value);
        return nonce;
    }

    private static byte[] body() {
        return DirectHandshake.transcriptBody(DIALER.peerId(), DIALER_NONCE, LISTENER.peerId(), LISTENER_NONCE);
    }

    @Test
    void framesMatchTheDocumentedVectors() {
        assertEquals(DIALER_HELLO, HEX.formatHex(DirectHandshake.hello(DIALER.peerId(), DIALER_NONCE)));
        assertEquals(DIALER_PROOF, HEX.formatHex(DirectHandshake.proof(DIALER, DirectHandshake.ROLE_DIALER, body())));
        assertEquals(
                LISTENER_PROOF, HEX.formatHex(DirectHandshake.proof(LISTENER, DirectHandshake.ROLE_LISTENER, body())));
    }

    @Test
    void aProofVerifiesOnlyForItsSignerRoleAndTranscript() {
        byte[] proof = DirectHandshake.proof(DIALER, DirectHandshake.ROLE_DIALER, body());
        assertTrue(DirectHandshake.verify(DIALER.peerId(), DirectHandshake.ROLE_DIALER, body(), proof));
        assertFalse(DirectHandshake.verify(LISTENER.peerId(), DirectHandshake.ROLE_DIALER, body(), proof), "key");
        assertFalse(DirectHandshake.verify(DIALER.peerId(), DirectHandshake.ROLE_LISTENER, body(), proof), "reflected");
        byte[] otherNonce =
                DirectHandshake.transcriptBody(DIALER.peerId(), DIALER_NONCE, LISTENER.peerId(), filled(0x03));
        assertFalse(
                DirectHandshake.verify(DIALER.peerId(), DirectHandshake.ROLE_DIALER, otherNonce, proof), "replayed");
        byte[] truncated = Arrays.copyOf(proof, proof.length - 1);
        assertFalse(DirectHandshake.verify(DIALER.peerId(), DirectHandshake.ROLE_DIALER, body(), truncated));
    }

    @Test
    void malformedHellosAreRejectedWithTheReason() {
        byte[] hello = DirectHandshake.hello(DIALER.peerId(), DIALER_NONCE);
        assertEquals(DIALER.peerId(), DirectHandshake.helloKey(hello));
        assertEquals(
                "a hello is 66 bytes but this one has 65",
                assertThrows(IllegalArgumentException.class, () -> DirectHandshake.helloKey(Arrays.copyOf(hello, 65)))
                        .getMessage());
        byte[] wrongType = hello.clone();
        wrongType[1] = 0x02;
        assertEquals(
                "expected a hello (type 0x01) but got type 0x02 (66 bytes)",
                assertThrows(IllegalArgumentException.class, () -> DirectHandshake.helloKey(wrongType))
                        .getMessage());
        assertEquals(
                "expected a direct-connection hello (version 0x01) but got 3 bytes starting 474554",
                assertThrows(IllegalArgumentException.class, () -> DirectHandshake.helloKey(new byte[] {'G', 'E', 'T'}))
                        .getMessage());
    }
}
