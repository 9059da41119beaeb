package dev.ensemble.collab.wire;

/**
 * Unsigned LEB128 integers as used by the envelope: 7 bits per byte, least significant group
 * first, high bit set on every byte but the last. Values are 0 to 2<sup>31</sup>-1 (at most 5
 * bytes) so that every implementation can hold them in a signed 32-bit integer or a JavaScript
 * number, and the encoding must be minimal (no trailing {@code 0x80 0x00}), so that one value has
 * exactly one encoding.
 */
final class Varint {

    static final int MAX_BYTES = 5;

    private Varint() {}

    static int size(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("varint value must be >= 0, was " + value);
        }
        if (value < 1 << 7) {
            return 1;
        }
        if (value < 1 << 14) {
            return 2;
        }
        if (value < 1 << 21) {
            return 3;
        }
        if (value < 1 << 28) {
            return 4;
        }
        return 5;
    }

    /** Writes {@code value} at {@code position} and returns the position after it. */
    static int write(byte[] target, int position, int value) {
        int remaining = value;
        while ((remaining & ~0x7F) != 0) {
            target[position++] = (byte) ((remaining & 0x7F) | 0x80);
            remaining >>>= 7;
        }
        target[position++] = (byte) remaining;
        return position;
    }
}
