package dev.ensemble.transport.secure;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * INTERNAL API. HKDF with HMAC-SHA256 (RFC 5869): Java 17 has HMAC but no HKDF, which is two
 * short steps over it. Checked against the RFC's test vectors in {@code HkdfTest}.
 *
 * <p>Stateless and thread-safe.
 */
final class Hkdf {

    static final int HASH_BYTES = 32;
    private static final String HMAC = "HmacSHA256";

    private Hkdf() {}

    /** HKDF-Extract: a pseudorandom key from input keying material and a salt. */
    static byte[] extract(byte[] salt, byte[] ikm) {
        // RFC 5869 2.2: an absent salt is HashLen zero bytes.
        byte[] key = salt.length == 0 ? new byte[HASH_BYTES] : salt;
        return hmac(key, ikm);
    }

    /** HKDF-Expand: {@code length} bytes of output keying material for {@code info}. */
    static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_BYTES) {
            throw new IllegalArgumentException("HKDF-SHA256 yields 1 to " + 255 * HASH_BYTES + " bytes, not " + length);
        }
        Mac mac = mac(prk);
        byte[] out = new byte[length];
        byte[] previous = new byte[0];
        int written = 0;
        for (int block = 1; written < length; block++) {
            mac.update(previous);
            mac.update(info);
            mac.update((byte) block);
            previous = mac.doFinal();
            int n = Math.min(previous.length, length - written);
            System.arraycopy(previous, 0, out, written, n);
            written += n;
        }
        Arrays.fill(previous, (byte) 0);
        return out;
    }

    static byte[] hmac(byte[] key, byte[] data) {
        return mac(key).doFinal(data);
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no " + HMAC + "; every Java 17 has one", e);
        }
    }
}
