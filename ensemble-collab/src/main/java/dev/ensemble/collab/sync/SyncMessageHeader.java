package dev.ensemble.collab.sync;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What an Automerge sync message says about its sender: its heads, the changes it asks for by
 * hash, the heads it believes both sides share (the {@code lastSync} of its first Bloom filter),
 * and where the changes it carries lie. The filters and the changes themselves are left to
 * Automerge. automerge-java 0.0.7 reads and writes this layout but exposes none of it.
 *
 * <pre>
 *   type: 0x42 (version 1) or 0x43 (version 2)
 *   heads: count, 32-byte hashes | need: count, hashes
 *   have: count, then per entry: lastSync (count, hashes), Bloom filter (length, bytes)
 *   changes, version 1: count, then per change: length, bytes
 *   changes, version 2: 0x00, then as version 1 | 0x01, then a whole saved document: length, bytes
 *   capabilities (optional, in a peer's first message): count, one byte each
 * </pre>
 *
 * Counts and lengths are unsigned LEB128.
 *
 * @param heads the sender's heads
 * @param need the changes the sender asks for by hash
 * @param lastSync the heads the sender believes both share, or null if the message has no
 *     Bloom filter (Automerge leaves it out while the sender holds changes whose dependencies it
 *     lacks)
 * @param version2 whether the message is in version 2 (type 0x43)
 * @param changesStart where the changes begin: everything before is the header
 * @param changesEnd where the changes end: what follows is the capabilities, if any
 */
record SyncMessageHeader(Heads heads, Heads need, Heads lastSync, boolean version2, int changesStart, int changesEnd) {
    private static final int MESSAGE_TYPE_SYNC = 0x42;
    private static final int MESSAGE_TYPE_SYNC_V2 = 0x43;
    private static final int CHANGE_LIST = 0x00;
    private static final int CHANGE_WHOLE_DOC = 0x01;

    /**
     * @param message a sync message
     * @return its header, or null if the message is not in the layout above (Automerge judges
     *     the message itself)
     */
    static SyncMessageHeader read(byte[] message) {
        if (message.length == 0) {
            return null;
        }
        int type = message[0] & 0xff;
        if (type != MESSAGE_TYPE_SYNC && type != MESSAGE_TYPE_SYNC_V2) {
            return null;
        }
        int[] offset = {1};
        Heads heads = hashes(message, offset);
        Heads need = heads == null ? null : hashes(message, offset);
        long haves = need == null ? -1 : leb128(message, offset);
        if (haves < 0) {
            return null;
        }
        Heads lastSync = null;
        for (long have = 0; have < haves; have++) {
            Heads haveLastSync = hashes(message, offset);
            if (haveLastSync == null || !skipBytes(message, offset)) {
                return null;
            }
            if (have == 0) {
                lastSync = haveLastSync;
            }
        }
        int changesStart = offset[0];
        boolean version2 = type == MESSAGE_TYPE_SYNC_V2;
        int listType = CHANGE_LIST;
        if (version2) {
            if (offset[0] >= message.length) {
                return null;
            }
            listType = message[offset[0]++] & 0xff;
        }
        if (listType == CHANGE_WHOLE_DOC) {
            if (!skipBytes(message, offset)) {
                return null;
            }
        } else if (listType == CHANGE_LIST) {
            long changes = leb128(message, offset);
            if (changes < 0) {
                return null;
            }
            for (long change = 0; change < changes; change++) {
                if (!skipBytes(message, offset)) {
                    return null;
                }
            }
        } else {
            return null;
        }
        return new SyncMessageHeader(heads, need, lastSync, version2, changesStart, offset[0]);
    }

    /**
     * Whether the sender asks for changes by hash alone: it holds changes whose dependencies it
     * lacks (pushed changes built on a lost push, say). Automerge answers with exactly those
     * changes, not their missing ancestors, so each answer reveals the next missing dependency.
     */
    boolean asksByHashOnly() {
        return !need.isEmpty() && lastSync == null;
    }

    /** @return the size of the changes the message carries, with their framing */
    int changesBytes() {
        return changesEnd - changesStart;
    }

    /**
     * The same message without its changes: what the sender holds and asks for, for a peer that
     * gets the changes some other way (a snapshot).
     *
     * @param message the message this header was read from
     * @return the message with an empty list of changes
     */
    byte[] withoutChanges(byte[] message) {
        ByteArrayOutputStream stripped = new ByteArrayOutputStream(changesStart + 2 + message.length - changesEnd);
        stripped.write(message, 0, changesStart);
        if (version2) {
            stripped.write(CHANGE_LIST);
        }
        stripped.write(0);
        stripped.write(message, changesEnd, message.length - changesEnd);
        return stripped.toByteArray();
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

    /** Skips a length and that many bytes at {@code offset[0]}; false if cut short. */
    private static boolean skipBytes(byte[] message, int[] offset) {
        long length = leb128(message, offset);
        if (length < 0 || length > message.length - offset[0]) {
            return false;
        }
        offset[0] += (int) length;
        return true;
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
