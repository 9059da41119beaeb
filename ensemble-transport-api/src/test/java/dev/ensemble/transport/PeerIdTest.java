package dev.ensemble.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PeerIdTest {

    /** The did:key specification's Ed25519 example. */
    private static final String SPEC_DID = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH";

    private static final String SPEC_KEY_BASE58 = "B12NYF8RrR3h41TDCTJojY59usg3mbtbjnFs7Eud1Y6u";

    @Test
    void encodesTheDidKeySpecificationExample() {
        PeerId id = PeerId.fromPublicKey(Base58.decode(SPEC_KEY_BASE58));
        assertEquals(SPEC_DID, id.toString());
    }

    @Test
    void parsesTheDidKeySpecificationExampleBackToItsKey() {
        assertArrayEquals(Base58.decode(SPEC_KEY_BASE58), PeerId.parse(SPEC_DID).publicKey());
    }

    @Test
    void parsesTheOtherPeerIdUsedInTheProtocolDocument() {
        String did = "did:key:z6Mkf5rGMoatrSj1f4CyvuHBeXJELe9RPdzo2PKGNCKVtZxP";
        assertEquals(did, PeerId.parse(did).toString());
    }

    @Test
    void base58RoundTripsRandomBytesIncludingLeadingZeros() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            if (bytes.length > 2 && i % 3 == 0) {
                bytes[0] = 0;
                bytes[1] = 0;
            }
            assertArrayEquals(bytes, Base58.decode(Base58.encode(bytes)));
        }
        assertEquals("1112", Base58.encode(new byte[] {0, 0, 0, 1}));
    }

    @Test
    void rejectsIdsWithWrongPrefixAlphabetCodecOrLength() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerId.parse("did:web:example"))
                .getMessage()
                .contains("must start with 'did:key:z'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PeerId.parse("did:key:z6Mk0OIl"))
                .getMessage()
                .contains("'0' at position 3"));
        // secp256k1 did:key (multicodec 0xe7 0x01)
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> PeerId.parse("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"))
                .getMessage()
                .contains("must hold an Ed25519 public key"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> PeerId.parse("did:key:z" + Base58.encode(new byte[] {(byte) 0xed, 1, 1, 2, 3})))
                .getMessage()
                .contains("must hold a 32-byte key but holds 3 bytes"));
        assertThrows(IllegalArgumentException.class, () -> PeerId.parse("did:key:z" + "6Mk".repeat(30)));
        assertThrows(IllegalArgumentException.class, () -> PeerId.fromPublicKey(new byte[31]));
    }

    @Test
    void isEqualByKeyOrderedByTextAndShortenedForLogs() {
        PeerId spec = PeerId.parse(SPEC_DID);
        assertEquals(spec, PeerId.fromPublicKey(spec.publicKey()));
        assertEquals(spec.hashCode(), PeerId.fromPublicKey(spec.publicKey()).hashCode());
        PeerId other = PeerId.parse("did:key:z6Mkf5rGMoatrSj1f4CyvuHBeXJELe9RPdzo2PKGNCKVtZxP");
        assertTrue(other.compareTo(spec) < 0, "did:key:z6Mkf... sorts before did:key:z6Mkp...");
        assertEquals("z6Mk...sdvktH", spec.shortForm());
    }

    @Test
    void rejectsAKeyThatIsNotAPointOfTheCurveAsAnInvalidSignatureRatherThanThrowing() {
        byte[] notAPoint = new byte[32];
        java.util.Arrays.fill(notAPoint, (byte) 0xff);
        assertFalse(PeerId.fromPublicKey(notAPoint).verify(new byte[0], new byte[64]));
    }

    @Test
    void verifiesTheRfc8032TestVector() {
        HexFormat hex = HexFormat.of();
        PeerId id =
                PeerId.fromPublicKey(hex.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        byte[] signature = hex.parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555"
                + "fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        assertTrue(id.verify(new byte[0], signature));
        signature[5] ^= 1;
        assertFalse(id.verify(new byte[0], signature));
        assertFalse(id.verify(new byte[0], new byte[12]));
        assertFalse(id.verify(new byte[0], null));
    }
}
