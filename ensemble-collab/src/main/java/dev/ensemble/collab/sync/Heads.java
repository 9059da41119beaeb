package dev.ensemble.collab.sync;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * INTERNAL API. The heads of a document version: the hashes of its latest changes, as a set (the
 * order Automerge lists them in does not matter). Immutable and thread-safe.
 *
 * <p>The sync engine compares, stores and sends heads without touching Automerge: what the peer
 * holds, what was pushed, what an {@code ack} confirms. {@link #encode()} writes the form of
 * Automerge's persisted sync state, which is also the payload of an {@code ack} envelope:
 *
 * <pre>
 *   0x43 | count (unsigned LEB128) | count × 32-byte change hash
 * </pre>
 *
 * so that {@code Heads.decode(syncState.encode())} reads the heads both sides share.
 */
public final class Heads {
    /** No heads: an empty document, or nothing known to be shared. */
    public static final Heads NONE = new Heads(new byte[0][]);

    /** The first byte of an encoded sync state (and of an {@code ack} payload). */
    private static final int SYNC_STATE_TYPE = 0x43;
    /** The length of a change hash (SHA-256). */
    public static final int HASH_BYTES = 32;

    /** Sorted by unsigned byte order, each exactly {@link #HASH_BYTES} long; never exposed. */
    private final byte[][] hashes;

    private Heads(byte[][] sortedHashes) {
        this.hashes = sortedHashes;
    }

    /**
     * @param hashes change hashes of {@value #HASH_BYTES} bytes each, in any order (copied)
     * @return the heads
     * @throws IllegalArgumentException if a hash is not {@value #HASH_BYTES} bytes long
     */
    public static Heads of(List<byte[]> hashes) {
        byte[][] copy = new byte[hashes.size()][];
        for (int i = 0; i < copy.length; i++) {
            byte[] hash = hashes.get(i);
            if (hash.length != HASH_BYTES) {
                throw new IllegalArgumentException(
                        "a change hash must be " + HASH_BYTES + " bytes long, hash " + i + " was " + hash.length);
            }
            copy[i] = hash.clone();
        }
        Arrays.sort(copy, Arrays::compareUnsigned);
        return new Heads(copy);
    }

    /**
     * Reads heads in the form {@link #encode()} writes: an {@code ack} payload, or an encoded
     * Automerge sync state (its shared heads).
     *
     * @param encoded the bytes
     * @return the heads, or {@code null} if the bytes are not in that form (a wrong first byte,
     *     a bad count, or a length that is not exactly count × {@value #HASH_BYTES} after it)
     */
    public static Heads decode(byte[] encoded) {
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
        List<byte[]> hashes = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            hashes.add(Arrays.copyOfRange(encoded, offset + i * HASH_BYTES, offset + (i + 1) * HASH_BYTES));
        }
        return of(hashes);
    }

    /** @return the form {@link #decode(byte[])} reads: an {@code ack} payload, or a sync state sharing these heads */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(6 + hashes.length * HASH_BYTES);
        out.write(SYNC_STATE_TYPE);
        int count = hashes.length;
        do {
            int b = count & 0x7f;
            count >>>= 7;
            out.write(count != 0 ? b | 0x80 : b);
        } while (count != 0);
        for (byte[] hash : hashes) {
            out.writeBytes(hash);
        }
        return out.toByteArray();
    }

    /** @return the hashes, sorted, each a fresh copy */
    public List<byte[]> hashes() {
        List<byte[]> copies = new ArrayList<>(hashes.length);
        for (byte[] hash : hashes) {
            copies.add(hash.clone());
        }
        return copies;
    }

    /** @return the number of heads */
    public int size() {
        return hashes.length;
    }

    /** @return true if there are no heads */
    public boolean isEmpty() {
        return hashes.length == 0;
    }

    /** Heads are equal when they hold the same hashes, whatever order they were given in. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Heads that && Arrays.deepEquals(hashes, that.hashes);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(hashes);
    }

    /** Shows the first 8 hex digits of each head, enough to tell versions apart in a log. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Heads[");
        for (int i = 0; i < hashes.length; i++) {
            text.append(i == 0 ? "" : ", ").append(HexFormat.of().formatHex(hashes[i], 0, 4));
        }
        return text.append(']').toString();
    }
}
