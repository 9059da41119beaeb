package dev.ensemble.collab.view;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * LEB128 numbers and byte runs from a range of bytes, every read checked against its end: input
 * from peers is untrusted, and a read past the range throws {@link UnreadableChangeException}.
 *
 * <p><em>Not thread-safe</em>: a cursor, used by one reader.
 */
final class LebReader {
    private final byte[] bytes;
    private final int end;
    private int at;

    LebReader(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.at = start;
        this.end = end;
    }

    int position() {
        return at;
    }

    int remaining() {
        return end - at;
    }

    long uleb() {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (at >= end) {
                throw new UnreadableChangeException();
            }
            int b = bytes[at++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new UnreadableChangeException();
    }

    long sleb() {
        long value = 0;
        int shift = 0;
        while (shift < 63) {
            if (at >= end) {
                throw new UnreadableChangeException();
            }
            int b = bytes[at++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                return shift < 64 && (b & 0x40) != 0 ? value | (-1L << shift) : value;
            }
        }
        throw new UnreadableChangeException();
    }

    /** @return an unsigned number that must fit what is left (a length or a count) */
    int length() {
        long value = uleb();
        if (value > remaining()) {
            throw new UnreadableChangeException();
        }
        return (int) value;
    }

    void skip(int n) {
        if (n < 0 || n > remaining()) {
            throw new UnreadableChangeException();
        }
        at += n;
    }

    byte[] bytes(int n) {
        skip(n);
        return Arrays.copyOfRange(bytes, at - n, at);
    }

    String string(int n) {
        skip(n);
        return new String(bytes, at - n, n, StandardCharsets.UTF_8);
    }
}
