package dev.ensemble.transport.membership;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.membership.InviteException.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * INTERNAL API. The byte-level rules shared by invites, chains and revocations: big-endian integers,
 * a room as {@code u8 length ‖ UTF-8}, raw 32-byte keys, and a reader that refuses anything short,
 * long or not strict UTF-8 with {@link Problem#MALFORMED}. Stateless helpers; a {@link Reader} is
 * used by one thread.
 */
final class Wire {

    /** Version byte of every encoding in this package. */
    static final byte VERSION = 0x01;
    /** Type byte of an invite. */
    static final byte TYPE_INVITE = 0x01;
    /** Type byte of a revocation. */
    static final byte TYPE_REVOCATION = 0x02;
    /** Type byte of a chain. */
    static final byte TYPE_CHAIN = 0x03;
    /** Longest room name in UTF-8 bytes (as for sessions: it travels as one length byte). */
    static final int MAX_ROOM_BYTES = 255;

    /** Latest time an encoding may carry: 9999-12-31T23:59:59Z, so that every time is a valid {@code Instant}. */
    static final long MAX_SECONDS = 253402300799L;

    private Wire() {}

    static byte[] roomBytes(String room) {
        byte[] bytes = room.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_ROOM_BYTES) {
            throw new IllegalArgumentException(
                    "a room name must be 1 to " + MAX_ROOM_BYTES + " bytes of UTF-8 but has " + bytes.length);
        }
        return bytes;
    }

    static void writeRoom(ByteArrayOutputStream out, String room) {
        byte[] bytes = roomBytes(room);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    static void writeLong(ByteArrayOutputStream out, long value) {
        out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform but is missing", e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A text form: {@code prefix} and the base64url encoding of {@code bytes} without padding. */
    static String toText(String prefix, byte[] bytes) {
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The bytes of a text form made by {@link #toText}, surrounding white space ignored (a file's final
     * newline). The length is checked before anything is decoded.
     *
     * @param what the object for messages, e.g. "an invite"
     * @param hint said after a missing prefix (may be empty)
     * @throws InviteException {@link Problem#TOO_LARGE} for more characters than {@code maxBytes} need, else
     *     {@link Problem#MALFORMED} for a missing prefix or bad base64url
     */
    static byte[] fromText(String text, String prefix, int maxBytes, String what, String hint) throws InviteException {
        int maxChars = prefix.length() + (maxBytes + 2) / 3 * 4;
        // Some slack for white space around it; anything longer is refused before it is stripped or decoded.
        if (text.length() > maxChars + 64) {
            throw new InviteException(
                    Problem.TOO_LARGE, what + " must be at most " + maxChars + " characters but has " + text.length());
        }
        String trimmed = text.strip();
        if (!trimmed.startsWith(prefix)) {
            throw new InviteException(Problem.MALFORMED, what + " must start with '" + prefix + "'" + hint);
        }
        try {
            return Base64.getUrlDecoder().decode(trimmed.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            throw new InviteException(Problem.MALFORMED, what + " is not valid base64url: " + e.getMessage());
        }
    }

    /** Reads one encoding front to back; every shortfall is {@link Problem#MALFORMED}. */
    static final class Reader {
        private final byte[] bytes;
        private final String what;
        private int position;

        Reader(byte[] bytes, String what) {
            this.bytes = bytes;
            this.what = what;
        }

        int position() {
            return position;
        }

        int u8() throws InviteException {
            need(1, "a byte");
            return bytes[position++] & 0xff;
        }

        int u16() throws InviteException {
            need(2, "a 16-bit length");
            int value = ((bytes[position] & 0xff) << 8) | (bytes[position + 1] & 0xff);
            position += 2;
            return value;
        }

        long seconds() throws InviteException {
            need(Long.BYTES, "a 64-bit time");
            long value = ByteBuffer.wrap(bytes, position, Long.BYTES).getLong();
            position += Long.BYTES;
            if (value < 0 || value > MAX_SECONDS) {
                throw malformed("a time of " + value + " s is outside 0 to " + MAX_SECONDS + " (year 9999)");
            }
            return value;
        }

        byte[] take(int length, String field) throws InviteException {
            need(length, field);
            byte[] out = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return out;
        }

        PeerId key(String field) throws InviteException {
            return PeerId.fromPublicKey(take(PeerId.PUBLIC_KEY_BYTES, field));
        }

        String room() throws InviteException {
            int length = u8();
            if (length == 0) {
                throw malformed("its room name is empty");
            }
            byte[] raw = take(length, "the room name");
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(raw))
                        .toString();
            } catch (CharacterCodingException e) {
                throw malformed("its room name is not valid UTF-8");
            }
        }

        void expect(int expected, int seen, String field) throws InviteException {
            if (seen != expected) {
                throw malformed(String.format("its %s must be 0x%02x but is 0x%02x", field, expected, seen));
            }
        }

        void end() throws InviteException {
            if (position != bytes.length) {
                throw malformed((bytes.length - position) + " bytes follow its end");
            }
        }

        InviteException malformed(String detail) {
            return new InviteException(Problem.MALFORMED, "malformed " + what + ": " + detail);
        }

        private void need(int length, String field) throws InviteException {
            if (bytes.length - position < length) {
                throw malformed("it ends before " + field + " (" + bytes.length + " bytes)");
            }
        }
    }
}
