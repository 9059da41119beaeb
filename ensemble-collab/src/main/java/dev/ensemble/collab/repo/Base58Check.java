package dev.ensemble.collab.repo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * bs58check, as automerge-repo writes document ids and change hashes: base58 (Bitcoin alphabet)
 * of the bytes followed by the first 4 bytes of SHA-256(SHA-256(bytes)). Leading zero bytes are
 * written as leading {@code 1}s. Stateless and thread-safe.
 *
 * <p>Both directions are quadratic in the length, so callers bound the input (ids and hashes are
 * tens of characters); {@link #decode} refuses text longer than {@link #MAX_TEXT_LENGTH}.
 */
final class Base58Check {
    static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    /** Longer than any id or hash (a 32-byte hash is at most 49 characters). */
    static final int MAX_TEXT_LENGTH = 128;

    private static final int[] DIGITS = new int[128];

    static {
        Arrays.fill(DIGITS, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            DIGITS[ALPHABET.charAt(i)] = i;
        }
    }

    private Base58Check() {}

    /** @return base58 of {@code payload} followed by its 4-byte checksum */
    static String encode(byte[] payload) {
        byte[] checksum = checksum(payload);
        byte[] bytes = Arrays.copyOf(payload, payload.length + 4);
        System.arraycopy(checksum, 0, bytes, payload.length, 4);
        return base58(bytes);
    }

    /**
     * @param text bs58check text
     * @param what names the value in error messages ("document id")
     * @return the payload, checksum removed
     * @throws IllegalArgumentException naming {@code what}, the text and the problem
     */
    static byte[] decode(String text, String what) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException(
                    what + " must be at most " + MAX_TEXT_LENGTH + " characters, but has " + text.length());
        }
        byte[] bytes = unbase58(text, what);
        if (bytes.length < 4) {
            throw new IllegalArgumentException(what + " \"" + text + "\" is too short to hold a checksum");
        }
        byte[] payload = Arrays.copyOf(bytes, bytes.length - 4);
        byte[] expected = checksum(payload);
        for (int i = 0; i < 4; i++) {
            if (bytes[payload.length + i] != expected[i]) {
                throw new IllegalArgumentException(
                        what + " \"" + text + "\" has a wrong checksum (a typo, or not a bs58check id)");
            }
        }
        return payload;
    }

    private static String base58(byte[] bytes) {
        int zeros = 0;
        while (zeros < bytes.length && bytes[zeros] == 0) {
            zeros++;
        }
        // Base-256 to base-58 by repeated division; digits come out least significant first.
        byte[] number = Arrays.copyOfRange(bytes, zeros, bytes.length);
        char[] digits = new char[number.length * 2];
        int out = digits.length;
        int start = 0;
        while (start < number.length) {
            int remainder = 0;
            for (int i = start; i < number.length; i++) {
                int value = (remainder << 8) | (number[i] & 0xff);
                number[i] = (byte) (value / 58);
                remainder = value % 58;
            }
            digits[--out] = ALPHABET.charAt(remainder);
            while (start < number.length && number[start] == 0) {
                start++;
            }
        }
        StringBuilder text = new StringBuilder(zeros + digits.length - out);
        text.append("1".repeat(zeros));
        text.append(digits, out, digits.length - out);
        return text.toString();
    }

    private static byte[] unbase58(String text, String what) {
        int zeros = 0;
        while (zeros < text.length() && text.charAt(zeros) == '1') {
            zeros++;
        }
        // Base-58 to base-256: multiply-and-add into a big-endian buffer large enough for any value.
        byte[] number = new byte[text.length()];
        int length = 0;
        for (int i = zeros; i < text.length(); i++) {
            char c = text.charAt(i);
            int digit = c < 128 ? DIGITS[c] : -1;
            if (digit < 0) {
                throw new IllegalArgumentException(
                        what + " \"" + text + "\" has '" + c + "' at index " + i + ", which is not a base58 character");
            }
            int carry = digit;
            for (int j = number.length - 1; j >= number.length - length || carry != 0; j--) {
                int value = (number[j] & 0xff) * 58 + carry;
                number[j] = (byte) value;
                carry = value >>> 8;
                if (j < number.length - length) {
                    length = number.length - j;
                }
            }
        }
        byte[] bytes = new byte[zeros + length];
        System.arraycopy(number, number.length - length, bytes, zeros, length);
        return bytes;
    }

    private static byte[] checksum(byte[] payload) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] once = sha256.digest(payload);
            return Arrays.copyOf(sha256.digest(once), 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
