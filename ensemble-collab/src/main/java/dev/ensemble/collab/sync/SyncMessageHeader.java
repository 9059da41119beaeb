package dev.ensemble.collab.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the start of an Automerge sync message says about its sender: the sender's heads, and
 * the heads it believes both sides share (the {@code lastSync} of its first Bloom filter). The
 * rest (the filter itself, the changes) is left to Automerge.
 *
 * <pre>
 *   0x42 | heads: count, 32-byte hashes | need: count, hashes
 *        | have: count, then per entry: lastSync (count, hashes), bloom (length, bytes) | changes ...
 * </pre>
 *
 * Counts and lengths are unsigned LEB128. automerge-java 0.0.7 reads and writes this layout but
 * exposes none of it.
 *
 * @param heads the sender's heads
 * @param lastSync the heads the sender believes both share, or null if the message has no
 *     Bloom filter (the sender is missing changes it asked for by hash)
 */
record SyncMessageHeader(Heads heads, Heads lastSync) {
    private static final int MESSAGE_TYPE_SYNC = 0x42;

    /**
     * @param message a sync message
     * @return its header, or null if the message does not start in the layout above (Automerge
     *     judges the message itself)
     */
    static SyncMessageHeader read(byte[] message) {
        if (message.length == 0 || (message[0] & 0xff) != MESSAGE_TYPE_SYNC) {
            return null;
        }
        int[] offset = {1};
        Heads heads = hashes(message, offset);
        if (heads == null || hashes(message, offset) == null) {
            return null;
        }
        long haves = leb128(message, offset);
        if (haves < 0) {
            return null;
        }
        if (haves == 0) {
            return new SyncMessageHeader(heads, null);
        }
        Heads lastSync = hashes(message, offset);
        return lastSync == null ? null : new SyncMessageHeader(heads, lastSync);
    }

    /** Reads a count and that many hashes at {@code offset[0]}, advancing it; null if cut short. */
    private static Heads hashes(byte[] message, int[] offset) {
        long count = leb128(message, offset);
        if (count < 0 || count > (message.length - offset[0]) / Heads.HASH_BYTES) {
            return null;
        }
        List<byte[]> hashes = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            hashes.add(Arrays.copyOfRange(message, offset[0], offset[0] + Heads.HASH_BYTES));
            offset[0] += Heads.HASH_BYTES;
        }
        return Heads.of(hashes);
    }

    /** Reads an unsigned LEB128 number of at most 32 bits at {@code offset[0]}, advancing it; -1 if invalid. */
    private static long leb128(byte[] message, int[] offset) {
        long value = 0;
        for (int shift = 0; shift <= 28; shift += 7) {
            if (offset[0] >= message.length) {
                return -1;
            }
            int b = message[offset[0]++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }
}
