package dev.ensemble.remote.wire;

import dev.ensemble.remote.wire.FrameException.Problem;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Encodes {@link Frame}s to bytes and decodes bytes back, in the layout of remote protocol version
 * {@value #VERSION}, specified in {@code docs/PROTOCOL.md} ("Remote actors"). A frame is one
 * transport message (a frame larger than the transport allows travels as {@link Frame.Chunk}s); the layout uses bytes, unsigned LEB128 varints and UTF-8 only, so that any
 * language can speak it.
 *
 * <h2>Layout</h2>
 *
 * <pre>
 * +------+---------+------+-----------------------------+
 * | tag  | version | kind | body (depends on the kind)  |
 * | 0x52 | 0x01    | u8   |                             |
 * +------+---------+------+-----------------------------+
 * name  = varint length (0..255) + UTF-8      text = varint length (0..4096) + UTF-8
 * value = name (type; empty = null) + varint length + CBOR bytes (none for null)
 *
 * tell 0x01, ask 0x02: callId varlong | target name | action name | argCount u8 | value * argCount
 * reply 0x03:         callId varlong | status u8 | OK: value, else: errorType name + message text
 * subscribe 0x04:     callId varlong | target name | topics u8 (bit 0 state, 1 events, 2 down)
 * state 0x05:         target name | sequence varlong | value
 * event 0x06:         target name | sequence varlong | event name | value
 * heartbeat 0x07:     incarnation: 8 bytes, big-endian
 * stopped 0x08:       target name | failed u8 (0 or 1) | errorType name | message text
 * batch 0x09:         count varint (1..256) | count * (varint length + a whole frame, not a batch)
 * chunk 0x0A:         messageId varlong | index varint | count varint (2..65536)
 *                     | totalLength varint | varint length + slice bytes (not empty)
 * </pre>
 *
 * A chunk is one slice of a frame larger than the transport's limit; {@link #split} cuts one and
 * {@link #decode} checks each chunk's header on its own (index below count, count at most the
 * total length, the slice no longer than the total); putting the slices back together is the
 * receiver's job (see {@code docs/PROTOCOL.md}, "Chunks").
 *
 * The tag byte {@code 0x52} ("R") sets remote frames apart from the collaboration envelope, whose
 * first byte is its version {@code 0x01}, so that one link could carry both.
 *
 * <h2>Before and after: {@code counter.increment(2)} as a tell</h2>
 *
 * <pre>
 * Call(ask=false, callId=1, target="counter", action="increment", [int 2])   (29 bytes)
 * 52 01 01 | 01 | 07 "counter" | 09 "increment" | 01 | 03 "int" 01 02
 * tag v kind  id   target        action            argc  type      len CBOR(2)
 * </pre>
 *
 * <h2>Errors</h2>
 *
 * {@link #decode(byte[])} throws only {@link FrameException}, naming the field, the value seen and
 * the offset. Every declared length is compared with the bytes present (and the frame with
 * {@link #maxFrameSize()}) before anything of that length is allocated, so a hostile length costs
 * nothing.
 *
 * <h2>Threading</h2>
 *
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * FrameCodec codec = FrameCodec.withMaxFrameSize(transport.maxMessageSize());
 * try {
 *   Frame frame = codec.decode(bytes);
 * } catch (FrameException e) {
 *   log.warn("dropped a frame from node {}: {}", peer, e.getMessage());
 * }
 * }</pre>
 */
public final class FrameCodec {
    /** The first byte of every remote frame: ASCII "R". */
    public static final int TAG = 0x52;
    /** The protocol version this codec writes and the only one it reads. */
    public static final int VERSION = 1;
    /** The longest name (target, action, event, type, error type), in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 255;
    /** The longest error message, in UTF-8 bytes; longer ones are cut when encoded. */
    public static final int MAX_MESSAGE_BYTES = 4096;
    /** The most arguments a call carries. */
    public static final int MAX_ARGUMENTS = 16;
    /** The most frames one batch carries. */
    public static final int MAX_BATCH = 256;
    /** The bytes of a batch's tag, version, kind and count (at most 2 bytes for up to 256 frames). */
    public static final int BATCH_HEADER_BYTES = 3 + 2;
    /** The most bytes a batch adds per frame (its length varint). */
    public static final int BATCH_BYTES_PER_FRAME = 5;

    static final int KIND_TELL = 0x01;
    static final int KIND_ASK = 0x02;
    static final int KIND_REPLY = 0x03;
    static final int KIND_SUBSCRIBE = 0x04;
    static final int KIND_STATE = 0x05;
    static final int KIND_EVENT = 0x06;
    static final int KIND_HEARTBEAT = 0x07;
    static final int KIND_STOPPED = 0x08;
    static final int KIND_BATCH = 0x09;
    static final int KIND_CHUNK = 0x0A;

    /** The most slices one chunked frame is cut into. */
    public static final int MAX_CHUNKS = 65536;
    /**
     * The most bytes a chunk's header takes: tag, version, kind, a 9-byte message id and four
     * 5-byte varints (index, count, total length, slice length).
     */
    public static final int CHUNK_HEADER_BYTES = 3 + 9 + 4 * 5;

    private static final int TOPIC_STATE = 0x01;
    private static final int TOPIC_EVENTS = 0x02;
    private static final int TOPIC_DOWN = 0x04;

    private final int maxFrameSize;

    private FrameCodec(int maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * Returns a codec that rejects frames longer than {@code maxFrameSize} bytes.
     *
     * @param maxFrameSize the longest frame accepted, e.g. the transport's {@code maxMessageSize()};
     *     at least 16
     * @return the codec
     * @throws IllegalArgumentException if {@code maxFrameSize < 16}
     */
    public static FrameCodec withMaxFrameSize(int maxFrameSize) {
        if (maxFrameSize < 16) {
            throw new IllegalArgumentException("maxFrameSize must be >= 16, was " + maxFrameSize);
        }
        return new FrameCodec(maxFrameSize);
    }

    /** @return the longest frame {@link #decode(byte[])} accepts, in bytes */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /**
     * Encodes a frame. The result may be longer than {@link #maxFrameSize()}: the caller compares
     * it with its transport's limit and fails the call that made it.
     *
     * @param frame the frame
     * @return a new array holding exactly the frame
     * @throws IllegalArgumentException if a name is longer than {@value #MAX_NAME_BYTES} bytes
     */
    public static byte[] encode(Frame frame) {
        Out out = new Out(frame instanceof Frame.Batch batch ? batchSize(batch) : Out.INITIAL_BYTES);
        out.u8(TAG);
        out.u8(VERSION);
        if (frame instanceof Frame.Call call) {
            out.u8(call.ask() ? KIND_ASK : KIND_TELL);
            out.varlong(call.callId());
            out.name(call.target(), "target");
            out.name(call.action(), "action");
            out.u8(call.arguments().size());
            for (WireValue argument : call.arguments()) {
                out.value(argument);
            }
        } else if (frame instanceof Frame.Reply reply) {
            out.u8(KIND_REPLY);
            out.varlong(reply.callId());
            out.u8(reply.status().code());
            if (reply.status() == ReplyStatus.OK) {
                out.value(reply.value());
            } else {
                out.name(truncate(reply.errorType(), MAX_NAME_BYTES), "errorType");
                out.text(truncate(reply.message(), MAX_MESSAGE_BYTES));
            }
        } else if (frame instanceof Frame.Subscribe subscribe) {
            out.u8(KIND_SUBSCRIBE);
            out.varlong(subscribe.callId());
            out.name(subscribe.target(), "target");
            out.u8((subscribe.state() ? TOPIC_STATE : 0)
                    | (subscribe.events() ? TOPIC_EVENTS : 0)
                    | (subscribe.down() ? TOPIC_DOWN : 0));
        } else if (frame instanceof Frame.State state) {
            out.u8(KIND_STATE);
            out.name(state.target(), "target");
            out.varlong(state.sequence());
            out.value(state.state());
        } else if (frame instanceof Frame.Event event) {
            out.u8(KIND_EVENT);
            out.name(event.target(), "target");
            out.varlong(event.sequence());
            out.name(event.name(), "event name");
            out.value(event.payload());
        } else if (frame instanceof Frame.Stopped stopped) {
            out.u8(KIND_STOPPED);
            out.name(stopped.target(), "target");
            out.u8(stopped.failed() ? 1 : 0);
            out.name(truncate(stopped.errorType(), MAX_NAME_BYTES), "errorType");
            out.text(truncate(stopped.message(), MAX_MESSAGE_BYTES));
        } else if (frame instanceof Frame.Batch batch) {
            out.u8(KIND_BATCH);
            out.varlong(batch.frames().size());
            for (byte[] inner : batch.frames()) {
                if (inner.length >= 3 && inner[2] == KIND_BATCH) {
                    throw new IllegalArgumentException("a batch must not hold a batch");
                }
                out.raw(inner);
            }
        } else if (frame instanceof Frame.Chunk chunk) {
            out.u8(KIND_CHUNK);
            out.varlong(chunk.messageId());
            out.varlong(chunk.index());
            out.varlong(chunk.count());
            out.varlong(chunk.totalLength());
            out.raw(chunk.data());
        } else if (frame instanceof Frame.Heartbeat heartbeat) {
            out.u8(KIND_HEARTBEAT);
            out.int64(heartbeat.incarnation());
        } else {
            throw new IllegalArgumentException(
                    "unknown frame type " + frame.getClass().getName());
        }
        return out.toByteArray();
    }

    /** The exact size of a batch's encoding, so that it is written into one array, without growing or copying it. */
    private static int batchSize(Frame.Batch batch) {
        int size = 3 + varlongSize(batch.frames().size());
        for (byte[] inner : batch.frames()) {
            size += varlongSize(inner.length) + inner.length;
        }
        return size;
    }

    private static int varlongSize(long value) {
        int bytes = 1;
        for (long remaining = value >>> 7; remaining != 0; remaining >>>= 7) {
            bytes++;
        }
        return bytes;
    }

    /**
     * Decodes one frame.
     *
     * @param frame exactly one frame, as received from a transport
     * @return the frame, whose values hold new arrays
     * @throws FrameException if the bytes are not a valid version-{@value #VERSION} remote frame
     */
    public Frame decode(byte[] frame) throws FrameException {
        return decode(frame, true, true);
    }

    /**
     * Decodes one frame taken out of a {@link Frame.Batch}: the same as {@link #decode(byte[])}
     * except that a batch is refused ({@code MALFORMED} at offset 2), so batches never nest.
     *
     * @param frame one element of a batch
     * @return the frame
     * @throws FrameException if the bytes are not a valid frame, or are a batch
     */
    public Frame decodeInner(byte[] frame) throws FrameException {
        return decode(frame, false, true);
    }

    /**
     * Decodes a frame put back together from {@link Frame.Chunk}s: the same as {@link
     * #decode(byte[])} except that a batch or a chunk is refused ({@code MALFORMED} at offset 2),
     * so chunks never nest. Use a codec whose {@link #maxFrameSize()} is the largest value accepted,
     * not the transport's limit.
     *
     * @param frame the concatenated slices
     * @return the frame
     * @throws FrameException if the bytes are not a valid frame, or are a batch or a chunk
     */
    public Frame decodeReassembled(byte[] frame) throws FrameException {
        return decode(frame, false, false);
    }

    private Frame decode(byte[] frame, boolean batchAllowed, boolean chunkAllowed) throws FrameException {
        if (frame.length > maxFrameSize) {
            throw new FrameException(
                    Problem.OVERSIZED, 0, "frame of " + frame.length + " bytes exceeds the limit of " + maxFrameSize);
        }
        In in = new In(frame);
        int tag = in.u8("tag");
        if (tag != TAG) {
            throw new FrameException(
                    Problem.UNSUPPORTED, 0, String.format("not a remote frame: tag 0x%02X, expected 0x52", tag));
        }
        int version = in.u8("version");
        if (version != VERSION) {
            throw new FrameException(
                    Problem.UNSUPPORTED,
                    1,
                    "unsupported remote protocol version " + version + ": this node speaks version " + VERSION
                            + " only");
        }
        int kind = in.u8("kind");
        Frame decoded = switch (kind) {
            case KIND_TELL, KIND_ASK -> {
                long callId = in.id("callId");
                String target = in.name("target", false);
                String action = in.name("action", false);
                int countAt = in.position;
                int count = in.u8("argCount");
                if (count > MAX_ARGUMENTS) {
                    throw new FrameException(
                            Problem.OVERSIZED, countAt, "argCount " + count + " exceeds the limit of " + MAX_ARGUMENTS);
                }
                List<WireValue> arguments = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    arguments.add(in.value("argument", i));
                }
                yield new Frame.Call(kind == KIND_ASK, callId, target, action, arguments);
            }
            case KIND_REPLY -> {
                long callId = in.id("callId");
                int statusAt = in.position;
                int code = in.u8("status");
                ReplyStatus status = ReplyStatus.ofCode(code);
                if (status == null) {
                    throw new FrameException(
                            Problem.MALFORMED, statusAt, String.format("undefined reply status 0x%02X", code));
                }
                if (status == ReplyStatus.OK) {
                    yield Frame.Reply.ok(callId, in.value("value"));
                }
                String errorType = in.name("errorType", true);
                String message = in.text("message");
                yield Frame.Reply.error(callId, status, errorType, message);
            }
            case KIND_SUBSCRIBE -> {
                long callId = in.id("callId");
                String target = in.name("target", false);
                int topicsAt = in.position;
                int topics = in.u8("topics");
                if ((topics & ~(TOPIC_STATE | TOPIC_EVENTS | TOPIC_DOWN)) != 0) {
                    throw new FrameException(
                            Problem.MALFORMED,
                            topicsAt,
                            String.format("topics 0x%02X sets bits not defined in version 1", topics));
                }
                yield new Frame.Subscribe(
                        callId,
                        target,
                        (topics & TOPIC_STATE) != 0,
                        (topics & TOPIC_EVENTS) != 0,
                        (topics & TOPIC_DOWN) != 0);
            }
            case KIND_STATE -> {
                String target = in.name("target", false);
                long sequence = in.id("sequence");
                yield new Frame.State(target, sequence, in.value("state"));
            }
            case KIND_EVENT -> {
                String target = in.name("target", false);
                long sequence = in.id("sequence");
                String name = in.name("event name", false);
                yield new Frame.Event(target, sequence, name, in.value("payload"));
            }
            case KIND_HEARTBEAT -> new Frame.Heartbeat(in.int64("incarnation"));
            case KIND_STOPPED -> {
                String target = in.name("target", false);
                int failedAt = in.position;
                int failed = in.u8("failed");
                if (failed > 1) {
                    throw new FrameException(
                            Problem.MALFORMED, failedAt, String.format("failed must be 0 or 1, was 0x%02X", failed));
                }
                yield new Frame.Stopped(target, failed == 1, in.name("errorType", true), in.text("message"));
            }
            case KIND_BATCH -> {
                if (!batchAllowed) {
                    throw new FrameException(Problem.MALFORMED, 2, "a batch inside a batch");
                }
                int countAt = in.position;
                long count = in.varlong("count", 5);
                if (count < 1 || count > MAX_BATCH) {
                    throw new FrameException(
                            count < 1 ? Problem.MALFORMED : Problem.OVERSIZED,
                            countAt,
                            "batch count " + count + " is not within 1.." + MAX_BATCH);
                }
                List<byte[]> frames = new ArrayList<>((int) count);
                for (int i = 0; i < count; i++) {
                    int length = in.length("frame", i, Integer.MAX_VALUE);
                    // Chunks may travel in a batch (the last slice is often small); batches do not nest.
                    if (length >= 3 && frame[in.position + 2] == KIND_BATCH) {
                        throw new FrameException(Problem.MALFORMED, in.position + 2, "a batch inside a batch");
                    }
                    frames.add(Arrays.copyOfRange(frame, in.position, in.position + length));
                    in.position += length;
                }
                yield new Frame.Batch(frames);
            }
            case KIND_CHUNK -> {
                if (!chunkAllowed) {
                    throw new FrameException(Problem.MALFORMED, 2, "a chunk inside a chunked frame");
                }
                long messageId = in.id("messageId");
                int headerAt = in.position;
                long index = in.varlong("index", 5);
                long count = in.varlong("count", 5);
                long total = in.varlong("totalLength", 5);
                int length = in.length("chunk data", Integer.MAX_VALUE);
                String problem = chunkProblem(index, count, total, length);
                if (problem != null) {
                    throw new FrameException(
                            count > MAX_CHUNKS ? Problem.OVERSIZED : Problem.MALFORMED, headerAt, problem);
                }
                byte[] data = Arrays.copyOfRange(frame, in.position, in.position + length);
                in.position += length;
                yield new Frame.Chunk(messageId, (int) index, (int) count, (int) total, data);
            }
            default ->
                throw new FrameException(
                        Problem.UNSUPPORTED, 2, String.format("kind 0x%02X is not defined in version 1", kind));
        };
        if (in.position != frame.length) {
            throw new FrameException(
                    Problem.MALFORMED,
                    in.position,
                    (frame.length - in.position) + " trailing bytes after a complete "
                            + decoded.getClass().getSimpleName() + " frame");
        }
        return decoded;
    }

    /**
     * Cuts an encoded frame into chunks of at most {@code maxFrameSize} bytes each, in the order
     * to send them.
     *
     * @param frame an encoded frame longer than {@code maxFrameSize}; not a chunk
     * @param messageId the id of this chunked frame, at least 1, unique among the sender's chunked
     *     frames on this link
     * @param maxFrameSize the transport's limit, above {@value #CHUNK_HEADER_BYTES}
     * @return the encoded chunk frames, 2 or more
     * @throws IllegalArgumentException if the frame fits already, is a chunk, the limit is too
     *     small, or it would take more than {@value #MAX_CHUNKS} chunks
     */
    public static List<byte[]> split(byte[] frame, long messageId, int maxFrameSize) {
        if (frame.length <= maxFrameSize) {
            throw new IllegalArgumentException(
                    "a frame of " + frame.length + " bytes fits in " + maxFrameSize + "; send it whole");
        }
        if (frame.length >= 3 && frame[2] == KIND_CHUNK) {
            throw new IllegalArgumentException("a chunk cannot be chunked again");
        }
        int capacity = maxFrameSize - CHUNK_HEADER_BYTES;
        if (capacity < 1) {
            throw new IllegalArgumentException("maxFrameSize " + maxFrameSize + " leaves no room for a chunk's data"
                    + " (expected: > " + CHUNK_HEADER_BYTES + ")");
        }
        long count = (frame.length + (long) capacity - 1) / capacity;
        if (count > MAX_CHUNKS) {
            throw new IllegalArgumentException("a frame of " + frame.length + " bytes would take " + count
                    + " chunks of " + capacity + " bytes, more than " + MAX_CHUNKS);
        }
        List<byte[]> chunks = new ArrayList<>((int) count);
        for (int index = 0; index < count; index++) {
            int from = index * capacity;
            byte[] data = Arrays.copyOfRange(frame, from, Math.min(frame.length, from + capacity));
            chunks.add(encode(new Frame.Chunk(messageId, index, (int) count, frame.length, data)));
        }
        return chunks;
    }

    /** What is wrong with a chunk's header, or null; shared by the record and the decoder. */
    static String chunkProblem(long index, long count, long totalLength, int dataLength) {
        if (count < 2 || count > MAX_CHUNKS) {
            return "chunk count " + count + " is not within 2.." + MAX_CHUNKS;
        }
        if (index < 0 || index >= count) {
            return "chunk index " + index + " is not within 0.." + (count - 1) + " (count " + count + ")";
        }
        if (totalLength < count || totalLength > Integer.MAX_VALUE) {
            return "chunk totalLength " + totalLength + " is not within " + count + " (count, no slice is empty).."
                    + Integer.MAX_VALUE;
        }
        if (dataLength < 1 || dataLength > totalLength) {
            return "chunk data of " + dataLength + " bytes is empty or longer than totalLength " + totalLength;
        }
        return null;
    }

    private static String truncate(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        // Cut at a character boundary: drop continuation bytes (10xxxxxx) at the cut.
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** A growable output buffer. */
    private static final class Out {
        /** Enough for a call of one small argument to an actor of a short name. */
        static final int INITIAL_BYTES = 64;

        private byte[] bytes;
        private int size;

        Out(int capacity) {
            bytes = new byte[capacity];
        }

        void u8(int value) {
            ensure(1);
            bytes[size++] = (byte) value;
        }

        void varlong(long value) {
            ensure(10);
            long remaining = value;
            while ((remaining & ~0x7FL) != 0) {
                bytes[size++] = (byte) ((remaining & 0x7F) | 0x80);
                remaining >>>= 7;
            }
            bytes[size++] = (byte) remaining;
        }

        void int64(long value) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (value >>> shift);
            }
        }

        void name(String name, String field) {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > MAX_NAME_BYTES) {
                throw new IllegalArgumentException(field + " \"" + name.substring(0, Math.min(40, name.length()))
                        + "...\" has " + utf8.length + " UTF-8 bytes, more than the limit of " + MAX_NAME_BYTES);
            }
            raw(utf8);
        }

        void text(String text) {
            raw(text.getBytes(StandardCharsets.UTF_8));
        }

        void value(WireValue value) {
            name(value.type(), "type name");
            raw(value.payload());
        }

        void raw(byte[] data) {
            varlong(data.length);
            ensure(data.length);
            System.arraycopy(data, 0, bytes, size, data.length);
            size += data.length;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        byte[] toByteArray() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }

    /**
     * The ASCII names decoded last (actor, action and type names repeat in every frame), so that a
     * name seen before is not built again. Thread-safe without locks: an entry is immutable and
     * published whole; a lost race costs one string.
     */
    private static final class AsciiNames {
        private static final int SLOTS = 64;
        /** Names longer than this are rare and not kept. */
        private static final int MAX_CACHED = 64;

        private record Entry(byte[] bytes, String text) {}

        private static final AtomicReferenceArray<Entry> ENTRIES = new AtomicReferenceArray<>(SLOTS);

        private AsciiNames() {}

        static String get(byte[] frame, int from, int length) {
            if (length == 0) {
                return "";
            }
            if (length > MAX_CACHED) {
                return new String(frame, from, length, StandardCharsets.ISO_8859_1);
            }
            int hash = length;
            for (int i = from, end = from + length; i < end; i++) {
                hash = 31 * hash + frame[i];
            }
            int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
            Entry entry = ENTRIES.getAcquire(slot);
            if (entry != null && Arrays.equals(entry.bytes, 0, entry.bytes.length, frame, from, from + length)) {
                return entry.text;
            }
            String text = new String(frame, from, length, StandardCharsets.ISO_8859_1);
            ENTRIES.setRelease(slot, new Entry(Arrays.copyOfRange(frame, from, from + length), text));
            return text;
        }
    }

    /** A cursor over one frame; every read checks what is left first. */
    private static final class In {
        private final byte[] bytes;
        private int position;

        In(byte[] bytes) {
            this.bytes = bytes;
        }

        int u8(String field) throws FrameException {
            if (position >= bytes.length) {
                throw truncated(field, position);
            }
            return bytes[position++] & 0xFF;
        }

        long int64(String field) throws FrameException {
            if (bytes.length - position < 8) {
                throw truncated(field, position);
            }
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (bytes[position++] & 0xFF);
            }
            return value;
        }

        /** An unsigned LEB128 of at most 63 bits (9 bytes), minimal. */
        long varlong(String field, int maxBytes) throws FrameException {
            return varlong(field, NO_INDEX, "", maxBytes);
        }

        /**
         * As {@link #varlong(String, int)}; the field's name is {@code field}, its {@code index} and
         * {@code suffix}, put together only for an error message (a frame is decoded per call, and
         * names built for every field showed in the profile).
         */
        long varlong(String field, int index, String suffix, int maxBytes) throws FrameException {
            int start = position;
            long value = 0;
            for (int i = 0; ; i++) {
                if (i == maxBytes) {
                    throw new FrameException(
                            Problem.MALFORMED,
                            start,
                            label(field, index) + suffix + " is a varint longer than " + maxBytes + " bytes");
                }
                if (position >= bytes.length) {
                    throw truncated(label(field, index) + suffix, start);
                }
                int b = bytes[position++] & 0xFF;
                value |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    if (b == 0 && i > 0) {
                        throw new FrameException(
                                Problem.MALFORMED,
                                start,
                                label(field, index) + suffix + " is a non-minimal varint (last byte 0x00)");
                    }
                    return value;
                }
            }
        }

        long id(String field) throws FrameException {
            int start = position;
            long value = varlong(field, 9);
            if (value < 1) {
                throw new FrameException(Problem.MALFORMED, start, field + " must be >= 1, was " + value);
            }
            return value;
        }

        /** A length: a varint of at most 5 bytes and 2^31-1, checked against what is left. */
        int length(String field, int limit) throws FrameException {
            return length(field, NO_INDEX, "", limit);
        }

        /** As {@link #length(String, int)} for the {@code index}th of several fields named {@code field}. */
        int length(String field, int index, int limit) throws FrameException {
            return length(field, index, "", limit);
        }

        /**
         * As {@link #length(String, int)} for the field named {@code field}, {@code index} and {@code
         * suffix} ({@code ""} or one of the constants {@link #TYPE} and {@link #PAYLOAD}).
         */
        private int length(String field, int index, String suffix, int limit) throws FrameException {
            int start = position;
            long value = varlong(
                    field,
                    index,
                    PAYLOAD.equals(suffix) ? PAYLOAD_LENGTH : TYPE.equals(suffix) ? TYPE_LENGTH : LENGTH,
                    5);
            if (value > limit) {
                throw new FrameException(
                        Problem.OVERSIZED,
                        start,
                        label(field, index) + suffix + " length " + value + " exceeds the limit of " + limit);
            }
            if (value > bytes.length - position) {
                throw new FrameException(
                        Problem.TRUNCATED,
                        start,
                        label(field, index) + suffix + " declares " + value + " bytes but only "
                                + (bytes.length - position)
                                + " remain");
            }
            return (int) value;
        }

        String name(String field, boolean mayBeEmpty) throws FrameException {
            return name(field, NO_INDEX, "", mayBeEmpty);
        }

        private String name(String field, int index, String suffix, boolean mayBeEmpty) throws FrameException {
            int start = position;
            int length = length(field, index, suffix, MAX_NAME_BYTES);
            if (length == 0 && !mayBeEmpty) {
                throw new FrameException(Problem.MALFORMED, start, label(field, index) + suffix + " must not be empty");
            }
            return utf8(field, index, suffix, start, length);
        }

        String text(String field) throws FrameException {
            int start = position;
            return utf8(field, NO_INDEX, "", start, length(field, MAX_MESSAGE_BYTES));
        }

        WireValue value(String field) throws FrameException {
            return value(field, NO_INDEX);
        }

        /** A value; {@code index} numbers it among several named {@code field} (or is {@link #NO_INDEX}). */
        WireValue value(String field, int index) throws FrameException {
            int start = position;
            String type = name(field, index, TYPE, true);
            int payloadAt = position;
            int length = length(field, index, PAYLOAD, Integer.MAX_VALUE);
            if (type.isEmpty()) {
                if (length != 0) {
                    throw new FrameException(
                            Problem.MALFORMED,
                            payloadAt,
                            label(field, index) + " is null (empty type name) but declares a payload of " + length
                                    + " bytes");
                }
                return WireValue.NULL;
            }
            if (length == 0) {
                throw new FrameException(
                        Problem.MALFORMED,
                        start,
                        label(field, index) + " of type " + type + " has an empty payload (not CBOR)");
            }
            byte[] payload = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return new WireValue(type, payload);
        }

        private String utf8(String field, int index, String suffix, int start, int length) throws FrameException {
            // Names are ASCII nearly always ("counter", "add"): such bytes are valid UTF-8 as they are,
            // and a Latin-1 string of them is built without a decoder (which showed in the profile).
            boolean ascii = true;
            for (int i = position, end = position + length; i < end; i++) {
                if (bytes[i] < 0) {
                    ascii = false;
                    break;
                }
            }
            if (ascii) {
                String text = AsciiNames.get(bytes, position, length);
                position += length;
                return text;
            }
            try {
                CharBuffer chars = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, position, length));
                position += length;
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw new FrameException(
                        Problem.MALFORMED, start, label(field, index) + suffix + " is not valid UTF-8");
            }
        }

        /** No index: the field is the only one of its name. */
        static final int NO_INDEX = -1;

        private static final String TYPE = " type";
        private static final String PAYLOAD = " payload";
        private static final String LENGTH = " length";
        private static final String TYPE_LENGTH = TYPE + LENGTH;
        private static final String PAYLOAD_LENGTH = PAYLOAD + LENGTH;

        private static String label(String field, int index) {
            return index == NO_INDEX ? field : field + " " + index;
        }

        private static FrameException truncated(String field, int at) {
            return new FrameException(Problem.TRUNCATED, at, "frame ends inside " + field);
        }
    }
}
