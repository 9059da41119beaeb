package dev.ensemble.transport.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class X25519Test {

    private static final HexFormat HEX = HexFormat.of();

    /** RFC 7748 section 6.1. */
    @Test
    void agreesOnTheRfc7748SharedSecret() throws GeneralSecurityException {
        X25519.Ephemeral alice = X25519.fromPrivate(
                HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
                HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
        byte[] bobPublic = HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        assertArrayEquals(
                HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"),
                alice.agree(bobPublic));
    }

    @Test
    void twoFreshKeyPairsAgree() throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        X25519.Ephemeral a = X25519.generate(random);
        X25519.Ephemeral b = X25519.generate(random);
        assertArrayEquals(a.agree(b.publicKey()), b.agree(a.publicKey()));
    }

    @Test
    void refusesALowOrderPublicKey() {
        X25519.Ephemeral a = X25519.generate(new SecureRandom());
        // u = 0 and u = 1 are points of small order: the shared secret would be all zeros.
        assertThrows(GeneralSecurityException.class, () -> a.agree(new byte[32]));
        byte[] one = new byte[32];
        one[0] = 1;
        assertThrows(GeneralSecurityException.class, () -> a.agree(one));
    }
}
