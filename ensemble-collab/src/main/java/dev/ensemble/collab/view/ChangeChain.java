package dev.ensemble.collab.view;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * INTERNAL API: the changes carried by peer input, as far as the view needs them: their hashes
 * and dependencies, to tell whether they extend the document one after another.
 *
 * <h2>Why the view asks</h2>
 * automerge-java 0.0.7 aborts the JVM when a patch flags a conflict (its {@code FlagConflict} is
 * not a {@code PatchAction}, and the native code panics on the failed construction), and
 * Automerge flags one whenever a change writes a key or list element concurrently with another
 * write that keeps winning. A chain of changes that come one after another, the first new one after
 * all of the document's heads, cannot be concurrent with anything in the document or with each
 * other, so it cannot raise a conflict ({@link #extendsLinearly} says exactly what is checked). Only such input is applied
 * with a patch log; anything else (concurrent edits, compressed changes, a whole document) is
 * applied without one and the view is read again.
 *
 * <pre>
 *   change chunk: 85 6f 4a 83 | checksum (4) | type 0x01 | length (LEB128) | body
 *   body:         dependencies: count (LEB128), 32-byte hashes | ...
 *   hash:         SHA-256 of type, length and body; the checksum is its first 4 bytes
 * </pre>
 *
 * <p>Thread-safe: immutable.
 */
public final class ChangeChain {
    private static final byte[] MAGIC = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83};
    private static final int CHANGE = 0x01;
    private static final int HASH_BYTES = 32;
    private static final int SYNC_V1 = 0x42;
    private static final int SYNC_V2 = 0x43;
    /**
     * One digest per thread: looking SHA-256 up in the security providers costs more than hashing
     * a keystroke's change, and a digest is not thread-safe.
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    private final List<byte[]> hashes;
    private final List<List<byte[]>> dependencies;

    private ChangeChain(List<byte[]> hashes, List<List<byte[]>> dependencies) {
        this.hashes = hashes;
        this.dependencies = dependencies;
    }

    /**
     * @param changes encoded changes, one chunk after another
     * @return their chain, or null if they are not all plain change chunks
     */
    public static ChangeChain ofChanges(byte[] changes) {
        // Pushed changes are one keystroke's change most of the time.
        List<byte[]> hashes = new ArrayList<>(1);
        List<List<byte[]>> dependencies = new ArrayList<>(1);
        int[] at = {0};
        while (at[0] < changes.length) {
            if (!readChunk(changes, at, changes.length, hashes, dependencies)) {
                return null;
            }
        }
        return new ChangeChain(hashes, dependencies);
    }

    /**
     * @param message an Automerge sync message
     * @return the chain of the changes it carries, or null if it cannot be read or carries a whole
     *     document
     */
    public static ChangeChain ofSyncMessage(byte[] message) {
        if (message.length == 0 || ((message[0] & 0xff) != SYNC_V1 && (message[0] & 0xff) != SYNC_V2)) {
            return null;
        }
        int[] at = {1};
        if (!skipHashes(message, at) || !skipHashes(message, at)) {
            return null;
        }
        long haves = leb128(message, at);
        for (long i = 0; i < haves; i++) {
            long bloom;
            if (!skipHashes(message, at) || (bloom = leb128(message, at)) < 0 || bloom > message.length - at[0]) {
                return null;
            }
            at[0] += (int) bloom;
        }
        if ((message[0] & 0xff) == SYNC_V2) {
            if (at[0] >= message.length || message[at[0]++] != 0) {
                return null;
            }
        }
        long count = leb128(message, at);
        if (count < 0) {
            return null;
        }
        List<byte[]> hashes = new ArrayList<>();
        List<List<byte[]>> dependencies = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            long length = leb128(message, at);
            if (length < 0 || length > message.length - at[0]) {
                return null;
            }
            int end = at[0] + (int) length;
            if (!readChunk(message, at, end, hashes, dependencies) || at[0] != end) {
                return null;
            }
        }
        return new ChangeChain(hashes, dependencies);
    }

    /**
     * @param wanted change hashes
     * @return whether any of the changes has one of these hashes
     */
    public boolean containsAny(List<byte[]> wanted) {
        for (byte[] hash : wanted) {
            if (contains(hashes, hash)) {
                return true;
            }
        }
        return false;
    }

    /** @return whether there are no changes */
    public boolean isEmpty() {
        return hashes.isEmpty();
    }

    /** @return how many changes there are */
    public int size() {
        return hashes.size();
    }

    /**
     * Whether the changes, applied to a document with these heads, add a line of changes after
     * everything the document holds. Each change must depend on the one before it, and one of them
     * on all of {@code heads}, with the change before that one among the heads: the changes up to
     * there are then already in the document (a push resends what the peer has not acknowledged),
     * and each change from there on comes after everything else. Automerge adds an author's own
     * previous change to a change's dependencies even when another dependency already implies it,
     * so dependencies are checked as sets that contain, not equal.
     *
     * @param heads the document's heads before the changes
     * @return whether applying the changes can raise no conflict
     */
    public boolean extendsLinearly(List<byte[]> heads) {
        if (!isSequence()) {
            return false;
        }
        for (int i = 0; i < hashes.size(); i++) {
            if (containsAll(dependencies.get(i), heads) && (i == 0 || contains(heads, hashes.get(i - 1)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the document holds every change once it holds the last: each change depends on the
     * one before it.
     */
    public boolean isSequence() {
        for (int i = 1; i < hashes.size(); i++) {
            if (!contains(dependencies.get(i), hashes.get(i - 1))) {
                return false;
            }
        }
        return true;
    }

    /** @return the hash of the last change, the document's only head once the chain is applied */
    public byte[] last() {
        return hashes.get(hashes.size() - 1);
    }

    private static boolean readChunk(
            byte[] bytes, int[] at, int end, List<byte[]> hashes, List<List<byte[]>> dependencies) {
        int start = at[0];
        if (end - start < 10 || !Arrays.equals(bytes, start, start + 4, MAGIC, 0, 4)) {
            return false;
        }
        if ((bytes[start + 8] & 0xff) != CHANGE) {
            return false;
        }
        at[0] = start + 9;
        long length = leb128(bytes, at);
        if (length < 0 || length > end - at[0]) {
            return false;
        }
        int bodyStart = at[0];
        int bodyEnd = bodyStart + (int) length;
        byte[] hash = sha256(bytes, start + 8, bodyEnd);
        if (!Arrays.equals(hash, 0, 4, bytes, start + 4, start + 8)) {
            return false;
        }
        long count = leb128(bytes, at);
        if (count < 0 || count > (bodyEnd - at[0]) / HASH_BYTES) {
            return false;
        }
        List<byte[]> deps = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            deps.add(Arrays.copyOfRange(bytes, at[0], at[0] + HASH_BYTES));
            at[0] += HASH_BYTES;
        }
        hashes.add(hash);
        dependencies.add(deps);
        at[0] = bodyEnd;
        return true;
    }

    private static boolean skipHashes(byte[] bytes, int[] at) {
        long count = leb128(bytes, at);
        if (count < 0 || count > (bytes.length - at[0]) / HASH_BYTES) {
            return false;
        }
        at[0] += (int) count * HASH_BYTES;
        return true;
    }

    /** @return the unsigned LEB128 number at {@code at[0]} (moving past it), or -1 if there is none */
    private static long leb128(byte[] bytes, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (at[0] >= bytes.length) {
                return -1;
            }
            int b = bytes[at[0]++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }

    private static boolean containsAll(List<byte[]> set, List<byte[]> members) {
        for (byte[] member : members) {
            if (!contains(set, member)) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(List<byte[]> set, byte[] member) {
        for (byte[] hash : set) {
            if (Arrays.equals(hash, member)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] sha256(byte[] bytes, int from, int to) {
        MessageDigest digest = SHA_256.get();
        digest.update(bytes, from, to - from);
        return digest.digest();
    }
}
