package dev.ensemble.transport.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.transport.PeerIdentity;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The key schedule's test vector, also printed in docs/SECURITY.md ("Test vector"): fixed
 * identities, nonces and RFC 7748's X25519 key pairs give fixed keys, signatures and frames, so that
 * another implementation can check itself byte for byte.
 */
class SessionKeysTest {

    private static final HexFormat HEX = HexFormat.of();

    static final PeerIdentity INITIATOR = PeerIdentity.fromSeed(fill(0x01, 32));
    static final PeerIdentity RESPONDER = PeerIdentity.fromSeed(fill(0x02, 32));
    static final byte[] CONTEXT = "lobby".getBytes(StandardCharsets.UTF_8);
    static final byte[] N_I = fill(0x11, 32);
    static final byte[] N_R = fill(0x22, 32);
    static final X25519.Ephemeral E_I = X25519.fromPrivate(
            HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
            HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
    static final X25519.Ephemeral E_R = X25519.fromPrivate(
            HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"),
            HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));

    @Test
    void theVectorGivesTheDocumentedValues() throws GeneralSecurityException {
        byte[] th = SessionKeys.transcriptHash(
                CONTEXT,
                INITIATOR.peerId().publicKey(),
                RESPONDER.peerId().publicKey(),
                N_I,
                N_R,
                E_I.publicKey(),
                E_R.publicKey());
        byte[] dhI = E_I.agree(E_R.publicKey());
        assertArrayEquals(dhI, E_R.agree(E_I.publicKey()));
        SessionKeys keys = SessionKeys.derive(th, dhI);
        byte[] sigR = RESPONDER.sign(SessionKeys.responderSigned(th));
        byte[] sigI = INITIATOR.sign(SessionKeys.initiatorSigned(th));
        byte[] sigF = RESPONDER.sign(SessionKeys.finishedSigned(th));
        byte[][] data = new byte[1][];
        Session.asInitiator(keys).sendNext("hi".getBytes(StandardCharsets.UTF_8), frame -> {
            data[0] = frame;
            return true;
        });

        assertEquals(
                "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c",
                hex(INITIATOR.peerId().publicKey()));
        assertEquals(
                "8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394",
                hex(RESPONDER.peerId().publicKey()));
        assertEquals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", hex(dhI));
        assertEquals("cbc891d94a6c58811bcf44818a4f1fcee2478e0a51e8489bfc3fbcbb103ad3cd", hex(th));
        assertEquals(
                "0f9a8118382d7196cd75a7a81104bc3d04070c29ae443d3e1c04370e5e08fc87", hex(keys.initiatorToResponder));
        assertEquals(
                "c0dc938093b942d76eac02c40889dd11fe9d00701a79a2cd44e834c207553efa", hex(keys.responderToInitiator));
        assertEquals("cedc0a23f8348132", hex(keys.sessionId));
        assertEquals(
                "1390bcfe92193e695712740a1920ee75f4ab9de5a6ee1189334e71736f5ba407"
                        + "f9f6226e80e8f44314020d8417f1f3cfc0623cdf1d3c694b4f0ee61ef5e1c609",
                hex(sigR));
        assertEquals(
                "aea07e910a72c8c701f658e8b2687477a0528a6e0a0e350fa66b0e9282b40b4f"
                        + "2d82fc86153269b74e1feb764a9beccb3ca3a7c80eabd3f23b048ae2f04b2f04",
                hex(sigI));
        assertEquals(
                "b687baf4374effaf26f4b124768043eb932001daa09e4cb79d5caad478e703ee"
                        + "f2da7fcb7cd579f7498fdbfbc2dbdc17b424cfd209ec9f2d167b0cd98a0d3702",
                hex(sigF));
        // "hi" from initiator to responder, counter 0.
        assertEquals("0210cedc0a23f83481320000000000000000fa17683e6fc063ea33e551d1c7ba81b58c33", hex(data[0]));
    }

    @Test
    void theResponderOpensTheVectorsDataFrame() throws Exception {
        byte[] th = SessionKeys.transcriptHash(
                CONTEXT,
                INITIATOR.peerId().publicKey(),
                RESPONDER.peerId().publicKey(),
                N_I,
                N_R,
                E_I.publicKey(),
                E_R.publicKey());
        Session responder = Session.asResponder(SessionKeys.derive(th, E_R.agree(E_I.publicKey())));
        byte[] frame = HEX.parseHex("0210cedc0a23f83481320000000000000000fa17683e6fc063ea33e551d1c7ba81b58c33");
        assertEquals("hi", new String(responder.open(frame).plaintext(), StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static byte[] fill(int value, int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
