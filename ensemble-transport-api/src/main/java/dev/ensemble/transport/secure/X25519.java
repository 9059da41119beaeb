package dev.ensemble.transport.secure;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.KeyAgreement;

/**
 * INTERNAL API. X25519 key agreement (RFC 7748) through the JDK's own provider, on the raw
 * 32-byte public keys the session handshake carries. As with Ed25519, the JDK takes keys only in
 * their standard encodings, a fixed prefix followed by the raw bytes (RFC 8410).
 *
 * <p>Stateless and thread-safe; an {@link Ephemeral} is used by one handshake on one thread.
 */
final class X25519 {

    static final int KEY_BYTES = 32;
    private static final String ALGORITHM = "X25519";
    /** SEQUENCE { SEQUENCE { OID 1.3.101.110 }, BIT STRING (33 bytes: no unused bits, then the key) }. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");
    /** SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.110 }, OCTET STRING { OCTET STRING (32 bytes) } }. */
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b656e04220420");

    private X25519() {}

    /** A fresh key pair for one handshake. */
    static Ephemeral generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(255, random);
            KeyPair pair = generator.generateKeyPair();
            byte[] encoded = pair.getPublic().getEncoded();
            return new Ephemeral(pair.getPrivate(), Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length));
        } catch (GeneralSecurityException e) {
            throw missing(e);
        }
    }

    /** The key pair of a raw private scalar, for test vectors. */
    static Ephemeral fromPrivate(byte[] scalar, byte[] rawPublic) {
        try {
            PrivateKey key = KeyFactory.getInstance(ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, scalar)));
            return new Ephemeral(key, rawPublic.clone());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an X25519 private key: " + e.getMessage(), e);
        }
    }

    /** A key pair whose private half never leaves the JDK's key object. */
    static final class Ephemeral {
        private final PrivateKey privateKey;
        private final byte[] publicKey;

        private Ephemeral(PrivateKey privateKey, byte[] publicKey) {
            this.privateKey = privateKey;
            this.publicKey = publicKey;
        }

        /** The raw 32-byte public key (a copy). */
        byte[] publicKey() {
            return publicKey.clone();
        }

        /**
         * The shared secret with another side's raw public key.
         *
         * @throws GeneralSecurityException if the key is not usable or the result is all zeros (a
         *     low-order point, RFC 7748 section 6.1): a hostile key, never a real peer's
         */
        byte[] agree(byte[] otherPublic) throws GeneralSecurityException {
            KeyAgreement agreement = KeyAgreement.getInstance(ALGORITHM);
            agreement.init(privateKey);
            agreement.doPhase(
                    KeyFactory.getInstance(ALGORITHM)
                            .generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, otherPublic))),
                    true);
            byte[] secret;
            try {
                secret = agreement.generateSecret();
            } catch (IllegalStateException e) {
                // The JDK reports a small-order result this way.
                throw new GeneralSecurityException("X25519 with a low-order public key: " + e.getMessage(), e);
            }
            int or = 0;
            for (byte b : secret) {
                or |= b;
            }
            if (or == 0) {
                throw new GeneralSecurityException("X25519 with a low-order public key gave an all-zero secret");
            }
            return secret;
        }
    }

    private static IllegalStateException missing(GeneralSecurityException e) {
        return new IllegalStateException(
                "this Java runtime has no X25519 provider; every Java 11 or later has one (java.version "
                        + System.getProperty("java.version") + ")",
                e);
    }

    private static byte[] concat(byte[] prefix, byte[] key) {
        byte[] encoded = Arrays.copyOf(prefix, prefix.length + key.length);
        System.arraycopy(key, 0, encoded, prefix.length, key.length);
        return encoded;
    }
}
