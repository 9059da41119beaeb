package dev.ensemble.collab;

import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.automerge.ChangeHash;
import org.automerge.SyncState;

/**
 * Reads and writes the heads both sides are known to share in an encoded Automerge sync state.
 *
 * <p>automerge-java 0.0.7 has no accessor for them; the encoding is Automerge's documented
 * persisted sync state: a type byte {@code 0x43}, a LEB128 count, then that many 32-byte change
 * hashes. {@code ChangeHash}'s constructor is protected, hence the empty subclass.
 */
final class SharedHeads {
    private static final int SYNC_STATE_TYPE = 0x43;
    private static final int HASH_BYTES = 32;

    private SharedHeads() {}

    /** @return a persisted sync state that knows only these shared heads */
    static byte[] encode(ChangeHash[] heads) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(2 + heads.length * HASH_BYTES);
        out.write(SYNC_STATE_TYPE);
        int count = heads.length;
        do {
            int b = count & 0x7f;
            count >>>= 7;
            out.write(count != 0 ? b | 0x80 : b);
        } while (count != 0);
        for (ChangeHash head : heads) {
            out.writeBytes(head.getBytes());
        }
        return out.toByteArray();
    }

    /** @return the shared heads, or null if the encoding is not the one this reader knows */
    static ChangeHash[] of(SyncState state) {
        return decode(state.encode());
    }

    /**
     * Reads heads in the form {@link #encode} writes, also the payload of an {@code ack} envelope.
     *
     * @return the heads, or null if {@code encoded} is not in that form (or has bytes after it)
     */
    static ChangeHash[] decode(byte[] encoded) {
        if (encoded.length < 2 || (encoded[0] & 0xff) != SYNC_STATE_TYPE) {
            return null;
        }
        int offset = 1;
        long count = 0;
        int shift = 0;
        while (true) {
            if (offset >= encoded.length || shift > 28) {
                return null;
            }
            int b = encoded[offset++] & 0xff;
            count |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        if (count * HASH_BYTES != encoded.length - offset) {
            return null;
        }
        ChangeHash[] heads = new ChangeHash[(int) count];
        for (int i = 0; i < count; i++) {
            byte[] hash = Arrays.copyOfRange(encoded, offset + i * HASH_BYTES, offset + (i + 1) * HASH_BYTES);
            heads[i] = new ChangeHash(hash) {};
        }
        return heads;
    }

    /** Whether two sets of heads name the same changes, in whatever order. */
    static boolean same(ChangeHash[] a, ChangeHash[] b) {
        if (a == null || b == null || a.length != b.length) {
            return false;
        }
        Set<String> left = new HashSet<>();
        for (ChangeHash head : a) {
            left.add(HexFormat.of().formatHex(head.getBytes()));
        }
        for (ChangeHash head : b) {
            if (!left.contains(HexFormat.of().formatHex(head.getBytes()))) {
                return false;
            }
        }
        return true;
    }
}
