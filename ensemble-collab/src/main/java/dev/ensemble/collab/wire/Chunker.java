package dev.ensemble.collab.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns an {@link Envelope} into the frames to send over a transport whose messages are limited
 * to {@code maxFrameSize} bytes: the envelope's own frame when it fits, otherwise {@link
 * EnvelopeKind#CHUNK chunk} frames that a {@link Reassembler} on the other side puts back
 * together.
 *
 * <h2>How an envelope is split</h2>
 *
 * The envelope is encoded; its frame of {@code N} bytes is cut into {@code count} consecutive
 * slices, each carried by a chunk envelope with the same document id, a fresh message id, its
 * index, {@code count} and {@code totalLength = N}. Every chunk frame is at most {@code
 * maxFrameSize} bytes; only the last slice is shorter than the others. With a 64 KiB limit a
 * 28 MB sync message becomes about 430 chunks of about 64 KiB each, with a few dozen bytes of
 * header per chunk.
 *
 * <h2>Threading and scope</h2>
 *
 * Not thread-safe: one owner (the actor that sends to a peer) calls it. Use one chunker per peer,
 * shared by every transport that reaches the peer (chunks of one message may travel over
 * different transports when the preferred one fails), so that message ids are unique towards
 * that peer. Message ids count up from a random start, so that a sender that restarts does not
 * reuse the ids of streams the receiver still remembers as finished.
 *
 * <pre>{@code
 * Chunker chunker = new Chunker(transport.maxMessageSize());
 * for (byte[] frame : chunker.split(Envelope.sync("doc", syncMessage))) {
 *   transport.send(peer, frame);
 * }
 * }</pre>
 */
public final class Chunker {

    /**
     * The smallest limit a chunker accepts: a chunk's header (with a document id of the maximum
     * length) must leave room for data.
     */
    public static final int MIN_FRAME_SIZE = 512;

    private final int maxFrameSize;

    /** The next message id; owned by the single thread that uses this chunker. */
    private int nextMessageId;

    /**
     * Creates a chunker for a transport limit.
     *
     * @param maxFrameSize the transport's {@code maxMessageSize()}, at least {@value
     *     #MIN_FRAME_SIZE}
     * @throws IllegalArgumentException if {@code maxFrameSize} is below {@value #MIN_FRAME_SIZE}
     */
    public Chunker(int maxFrameSize) {
        this(maxFrameSize, ThreadLocalRandom.current().nextInt(0, Integer.MAX_VALUE));
    }

    /**
     * Creates a chunker whose first message id is given, for reproducible frames in tests.
     *
     * @param maxFrameSize the transport's {@code maxMessageSize()}, at least {@value
     *     #MIN_FRAME_SIZE}
     * @param firstMessageId the id of the first chunked message, 0 to 2<sup>31</sup>-1
     * @throws IllegalArgumentException if {@code maxFrameSize} is below {@value #MIN_FRAME_SIZE} or
     *     {@code firstMessageId} is negative
     */
    public Chunker(int maxFrameSize, int firstMessageId) {
        if (firstMessageId < 0) {
            throw new IllegalArgumentException("firstMessageId must be >= 0, was " + firstMessageId);
        }
        this.nextMessageId = firstMessageId;
        if (maxFrameSize < MIN_FRAME_SIZE) {
            throw new IllegalArgumentException("maxFrameSize must be >= " + MIN_FRAME_SIZE
                    + " so that a chunk has room for data after its header, was " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
    }

    /**
     * Returns the limit every frame of {@link #split(Envelope)} respects.
     *
     * @return the limit in bytes
     */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /**
     * Encodes an envelope into one frame, or into chunk frames if it does not fit. <b>Warning</b>:
     * not thread-safe.
     *
     * @param envelope the envelope to send; not itself a chunk
     * @return the frames to send in order, each at most {@link #maxFrameSize()} bytes
     * @throws IllegalArgumentException if the envelope is a chunk
     */
    public List<byte[]> split(Envelope envelope) {
        if (envelope.kind() == EnvelopeKind.CHUNK) {
            throw new IllegalArgumentException(
                    "a chunk envelope cannot be chunked again: pass the" + " original envelope to split()");
        }
        byte[] frame = EnvelopeCodec.encode(envelope);
        if (frame.length <= maxFrameSize) {
            return List.of(frame);
        }
        int messageId = nextMessageId;
        nextMessageId = nextMessageId == Integer.MAX_VALUE ? 0 : nextMessageId + 1;
        int documentIdLength = envelope.documentId().getBytes(StandardCharsets.UTF_8).length;
        int total = frame.length;
        // index, count and the slice length are all <= total, so their varints are no longer than
        // total's: this bounds the header exactly enough without knowing count yet.
        int header =
                2 + Varint.size(documentIdLength) + documentIdLength + Varint.size(messageId) + 4 * Varint.size(total);
        int capacity = maxFrameSize - header;
        int count = (int) ((total + (long) capacity - 1) / capacity);
        List<byte[]> chunks = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            int from = index * capacity;
            int length = Math.min(capacity, total - from);
            chunks.add(EnvelopeCodec.encodeChunk(
                    envelope.documentId(), new ChunkHeader(messageId, index, count, total), frame, from, length));
        }
        return chunks;
    }
}
