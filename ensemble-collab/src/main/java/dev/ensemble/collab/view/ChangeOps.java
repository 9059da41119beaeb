package dev.ensemble.collab.view;

import java.util.Arrays;

/**
 * INTERNAL API: the operations of one Automerge change chunk, read from its columns in Java, for
 * the view to see what a peer's change does without asking Automerge for patches (a native call
 * that costs twice the apply; see {@link RemoteTextEdit}). Reads the uncompressed change chunk of
 * the Automerge binary format as automerge-java 0.0.7 writes it; anything else it does not claim
 * to understand (a compressed column, a column it does not know, more than {@link #MAX_OPS}
 * operations) makes {@link #read} return null, and the caller falls back to Automerge's patches.
 *
 * <pre>
 *   chunk:   85 6f 4a 83 | checksum (4) | 0x01 | body length (uLEB) | body
 *   body:    dependencies: count (uLEB), 32-byte hashes
 *            author: length (uLEB), bytes | seq (uLEB) | startOp (uLEB) | time (sLEB)
 *            message: length (uLEB), UTF-8 | other actors: count (uLEB), each length and bytes
 *            columns: count (uLEB), then (spec (uLEB), data length (uLEB)) per column
 *            the columns' data, in that order | extra bytes (ignored)
 *   spec:    column id &lt;&lt; 4 | deflated (0x08) | type (0..7)
 * </pre>
 *
 * <table>
 *   <caption>The columns of a change's operations</caption>
 *   <tr><th>spec</th><th>column</th><th>encoding</th></tr>
 *   <tr><td>0x01, 0x02</td><td>object: actor index, counter (both null: the root)</td><td>RLE uLEB</td></tr>
 *   <tr><td>0x11, 0x13</td><td>key as element id: actor index, counter (0 with no actor: the head)</td>
 *       <td>RLE uLEB, delta</td></tr>
 *   <tr><td>0x15</td><td>key as map key</td><td>RLE string</td></tr>
 *   <tr><td>0x34</td><td>insert</td><td>boolean</td></tr>
 *   <tr><td>0x42</td><td>action: 0 make map, 1 set, 2 make list, 3 delete, 4 make text, 5 increment,
 *       6 make table, 7 mark</td><td>RLE uLEB</td></tr>
 *   <tr><td>0x56, 0x57</td><td>value: length &lt;&lt; 4 | type, then the raw bytes (type 6 is a UTF-8
 *       string)</td><td>RLE uLEB, raw</td></tr>
 *   <tr><td>0x70, 0x71, 0x73</td><td>predecessors: count, then actor index and counter of each</td>
 *       <td>RLE uLEB, RLE uLEB, delta</td></tr>
 * </table>
 *
 * <p>The encodings (RLE, delta, boolean) are {@link ColumnDecoder}'s. An absent column is all
 * null (or all false). Operation i has the id {@code startOp + i} by the author; actor index 0 is the
 * author, index k the k-th other actor. Input from peers is untrusted: every count is checked
 * against what is left before it is used.
 *
 * <p><em>Not thread-safe</em> (nor is its {@link OperationIds}): read and used in one actor turn.
 */
final class ChangeOps {
    static final int SET = 1;
    static final int DELETE = 3;
    static final int VALUE_NULL = 0;
    static final int VALUE_STRING = 6;
    /** Marks null in the long columns. */
    static final long NULL = Long.MIN_VALUE;
    /**
     * Past this many operations a change is left to Automerge's patches: the fast path is for
     * keystrokes, and a paste of a page is rare enough to cost a patch.
     */
    static final int MAX_OPS = 1024;

    private static final byte[] MAGIC = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83};
    private static final int CHANGE = 0x01;
    private static final int OBJ_ACTOR = 0x01;
    private static final int OBJ_CTR = 0x02;
    private static final int KEY_ACTOR = 0x11;
    private static final int KEY_CTR = 0x13;
    private static final int KEY_STRING = 0x15;
    private static final int INSERT = 0x34;
    private static final int ACTION = 0x42;
    private static final int VALUE_META = 0x56;
    private static final int VALUE_RAW = 0x57;
    private static final int PRED_GROUP = 0x70;
    private static final int PRED_ACTOR = 0x71;
    private static final int PRED_CTR = 0x73;
    private static final int[] KNOWN = {
        OBJ_ACTOR,
        OBJ_CTR,
        KEY_ACTOR,
        KEY_CTR,
        KEY_STRING,
        INSERT,
        ACTION,
        VALUE_META,
        VALUE_RAW,
        PRED_GROUP,
        PRED_ACTOR,
        PRED_CTR
    };

    /** The author first, then the other actors the columns refer to by index. */
    final byte[][] actors;

    final long startOp;
    final int size;
    final long[] objActor;
    final long[] objCtr;
    final long[] keyActor;
    final long[] keyCtr;
    final String[] keyString;
    final boolean[] insert;
    final long[] action;
    /** The value's type (the low 4 bits of its metadata), or -1 if the column is null there. */
    final int[] valueType;
    /** The value's string, for type {@link #VALUE_STRING}; otherwise null. */
    final String[] valueString;
    /** Where each operation's predecessors start in {@link #predActor} and {@link #predCtr}; size + 1 entries. */
    final int[] predStart;

    final long[] predActor;
    final long[] predCtr;
    /** Makes the ids; shared with the changes before and after this one. */
    private final OperationIds ids;
    /**
     * {@link #actors} in hex, each asked of {@link #ids} once: a followed keystroke asks for its
     * author's and its text's actors several times, and each ask compares actors' bytes.
     */
    private final String[] hex;

    private ChangeOps(Columns c, byte[][] actors, long startOp, OperationIds ids) {
        this.actors = actors;
        this.startOp = startOp;
        this.size = c.size;
        this.objActor = c.objActor;
        this.objCtr = c.objCtr;
        this.keyActor = c.keyActor;
        this.keyCtr = c.keyCtr;
        this.keyString = c.keyString;
        this.insert = c.insert;
        this.action = c.action;
        this.valueType = c.valueType;
        this.valueString = c.valueString;
        this.predStart = c.predStart;
        this.predActor = c.predActor;
        this.predCtr = c.predCtr;
        this.ids = ids;
        this.hex = new String[actors.length];
    }

    private String hex(int actor) {
        String known = hex[actor];
        if (known == null) {
            known = ids.hex(actors[actor]);
            hex[actor] = known;
        }
        return known;
    }

    /**
     * @param chunk exactly one change chunk (its checksum is not checked here: Automerge checks it
     *     when it applies the change, and {@link ChangeChain} before that)
     * @return its operations, or null if it is not an uncompressed change chunk of known columns
     *     with at most {@link #MAX_OPS} operations, or cannot be read
     */
    static ChangeOps read(byte[] chunk) {
        return read(chunk, new OperationIds());
    }

    /**
     * @param chunk exactly one change chunk
     * @param ids makes the ids of its operations and objects
     * @return as {@link #read(byte[])}
     */
    static ChangeOps read(byte[] chunk, OperationIds ids) {
        try {
            return readChunk(chunk, ids);
        } catch (UnreadableChangeException e) {
            return null;
        }
    }

    private static ChangeOps readChunk(byte[] bytes, OperationIds ids) {
        if (bytes.length < 10 || !Arrays.equals(bytes, 0, 4, MAGIC, 0, 4) || (bytes[8] & 0xff) != CHANGE) {
            throw new UnreadableChangeException();
        }
        LebReader in = new LebReader(bytes, 9, bytes.length);
        int bodyLength = in.length();
        if (in.position() + bodyLength != bytes.length) {
            throw new UnreadableChangeException();
        }
        int dependencies = in.length();
        in.skip(dependencies > in.remaining() / 32 ? -1 : dependencies * 32);
        byte[] author = in.bytes(in.length());
        in.uleb(); // seq
        long startOp = in.uleb();
        in.sleb(); // time
        in.skip(in.length()); // message
        // Counts are read as lengths: each entry takes at least a byte, so none is larger than the input.
        int others = in.length();
        byte[][] actors = new byte[others + 1][];
        actors[0] = author;
        for (int i = 1; i <= others; i++) {
            actors[i] = in.bytes(in.length());
        }
        int columns = in.length();
        int[] specs = new int[columns];
        int[] lengths = new int[columns];
        for (int i = 0; i < columns; i++) {
            long spec = in.uleb();
            specs[i] = spec > Integer.MAX_VALUE ? -1 : (int) spec;
            lengths[i] = in.length();
            if (find(KNOWN, specs[i]) < 0) {
                // Compressed (0x08), or a column this reader does not know: it may change what an
                // operation means, so the change is not read at all.
                throw new UnreadableChangeException();
            }
        }
        int[] starts = new int[columns];
        for (int i = 0; i < columns; i++) {
            starts[i] = in.position();
            in.skip(lengths[i]);
        }
        Columns c = new Columns();
        int actionColumn = find(specs, ACTION);
        if (actionColumn < 0) {
            throw new UnreadableChangeException();
        }
        c.size = ColumnDecoder.count(
                new LebReader(bytes, starts[actionColumn], starts[actionColumn] + lengths[actionColumn]), MAX_OPS);
        c.action = column(bytes, specs, starts, lengths, ACTION, c.size, false);
        c.objActor = column(bytes, specs, starts, lengths, OBJ_ACTOR, c.size, false);
        c.objCtr = column(bytes, specs, starts, lengths, OBJ_CTR, c.size, false);
        c.keyActor = column(bytes, specs, starts, lengths, KEY_ACTOR, c.size, false);
        c.keyCtr = column(bytes, specs, starts, lengths, KEY_CTR, c.size, true);
        c.keyString = strings(bytes, specs, starts, lengths, c.size);
        c.insert = booleans(bytes, specs, starts, lengths, c.size);
        readValues(bytes, specs, starts, lengths, c);
        readPredecessors(bytes, specs, starts, lengths, c);
        for (int i = 0; i < c.size; i++) {
            if (c.action[i] == NULL || !actorIn(c.objActor[i], actors) || !actorIn(c.keyActor[i], actors)) {
                throw new UnreadableChangeException();
            }
        }
        for (long actor : c.predActor) {
            if (!actorIn(actor, actors)) {
                throw new UnreadableChangeException();
            }
        }
        return new ChangeOps(c, actors, startOp, ids);
    }

    /** @return the id of operation {@code i} as Automerge writes it: {@code counter@actorhex} */
    String opId(int i) {
        return (startOp + i) + "@" + hex(0);
    }

    /** @return the id of operation {@code i}'s object, or null for the root */
    String objectId(int i) {
        return objCtr[i] == NULL ? null : ids.objectId(objCtr[i], hex((int) objActor[i]));
    }

    /** @return the element id operation {@code i} is keyed by, or null if it is the head or a map key */
    String elementId(int i) {
        return keyActor[i] == NULL ? null : keyCtr[i] + "@" + hex((int) keyActor[i]);
    }

    /**
     * @return the actor, in hex, of the element operation {@code i} is keyed by (its counter is
     *     {@code keyCtr[i]}), or null if it is the head or a map key
     */
    String elementActor(int i) {
        return keyActor[i] == NULL ? null : hex((int) keyActor[i]);
    }

    /** @return the author's actor in hex: operation {@code i}'s id is {@code startOp + i} by it */
    String authorHex() {
        return hex(0);
    }

    /** @return whether operation {@code i} is keyed by the head of a sequence (an insertion at the start) */
    boolean keyedByHead(int i) {
        return keyActor[i] == NULL && keyCtr[i] == 0;
    }

    /** @return whether {@code (actor index, counter)} names an operation of this change */
    boolean isOwn(long actor, long counter) {
        return actor != NULL
                && counter != NULL
                && Arrays.equals(actors[(int) actor], actors[0])
                && counter >= startOp
                && counter < startOp + size;
    }

    private static boolean actorIn(long index, byte[][] actors) {
        return index == NULL || (index >= 0 && index < actors.length);
    }

    private static int find(int[] specs, int spec) {
        for (int i = 0; i < specs.length; i++) {
            if (specs[i] == spec) {
                return i;
            }
        }
        return -1;
    }

    private static long[] column(
            byte[] bytes, int[] specs, int[] starts, int[] lengths, int spec, int size, boolean delta) {
        int i = find(specs, spec);
        if (i < 0) {
            long[] nulls = new long[size];
            Arrays.fill(nulls, NULL);
            return nulls;
        }
        return ColumnDecoder.longs(new LebReader(bytes, starts[i], starts[i] + lengths[i]), size, delta);
    }

    private static String[] strings(byte[] bytes, int[] specs, int[] starts, int[] lengths, int size) {
        int column = find(specs, KEY_STRING);
        return column < 0
                ? new String[size]
                : ColumnDecoder.strings(new LebReader(bytes, starts[column], starts[column] + lengths[column]), size);
    }

    private static boolean[] booleans(byte[] bytes, int[] specs, int[] starts, int[] lengths, int size) {
        int column = find(specs, INSERT);
        return column < 0
                ? new boolean[size]
                : ColumnDecoder.booleans(new LebReader(bytes, starts[column], starts[column] + lengths[column]), size);
    }

    private static void readValues(byte[] bytes, int[] specs, int[] starts, int[] lengths, Columns c) {
        long[] meta = column(bytes, specs, starts, lengths, VALUE_META, c.size, false);
        int raw = find(specs, VALUE_RAW);
        LebReader in =
                raw < 0 ? new LebReader(bytes, 0, 0) : new LebReader(bytes, starts[raw], starts[raw] + lengths[raw]);
        c.valueType = new int[c.size];
        c.valueString = new String[c.size];
        for (int i = 0; i < c.size; i++) {
            if (meta[i] == NULL) {
                c.valueType[i] = -1;
                continue;
            }
            int type = (int) (meta[i] & 0xf);
            long length = meta[i] >>> 4;
            if (length > in.remaining()) {
                throw new UnreadableChangeException();
            }
            c.valueType[i] = type;
            if (type == VALUE_STRING) {
                c.valueString[i] = in.string((int) length);
            } else {
                in.skip((int) length);
            }
        }
    }

    private static void readPredecessors(byte[] bytes, int[] specs, int[] starts, int[] lengths, Columns c) {
        long[] counts = column(bytes, specs, starts, lengths, PRED_GROUP, c.size, false);
        c.predStart = new int[c.size + 1];
        int total = 0;
        for (int i = 0; i < c.size; i++) {
            c.predStart[i] = total;
            long count = counts[i] == NULL ? 0 : counts[i];
            if (count > MAX_OPS - total) {
                throw new UnreadableChangeException();
            }
            total += (int) count;
        }
        c.predStart[c.size] = total;
        c.predActor = column(bytes, specs, starts, lengths, PRED_ACTOR, total, false);
        c.predCtr = column(bytes, specs, starts, lengths, PRED_CTR, total, true);
    }

    /** The columns while they are read. */
    private static final class Columns {
        int size;
        long[] objActor;
        long[] objCtr;
        long[] keyActor;
        long[] keyCtr;
        String[] keyString;
        boolean[] insert;
        long[] action;
        int[] valueType;
        String[] valueString;
        int[] predStart;
        long[] predActor;
        long[] predCtr;
    }
}
