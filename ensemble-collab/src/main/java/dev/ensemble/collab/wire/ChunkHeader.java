package dev.ensemble.collab.wire;

/**
 * The position of one {@link EnvelopeKind#CHUNK chunk} in the encoded envelope it is part of.
 *
 * <p>A sender splits an encoded envelope of {@code totalLength} bytes into {@code count} chunks
 * numbered {@code 0..count-1}, all carrying the same {@code messageId}; concatenating their
 * payloads in index order gives back the encoded envelope. Every chunk repeats {@code count} and
 * {@code totalLength} so that a receiver can check the stream and bound its memory from whichever
 * chunk arrives first.
 *
 * <p>Immutable and thread-safe.
 *
 * @param messageId identifies the chunked message among the sender's messages on this
 *     connection, 0 to 2<sup>31</sup>-1
 * @param index this chunk's position, 0 to {@code count - 1}
 * @param count the number of chunks, at least 1
 * @param totalLength the length of the whole encoded envelope, at least {@code count} (no chunk
 *     is empty)
 */
public record ChunkHeader(int messageId, int index, int count, int totalLength) {

    /**
     * Validates the header.
     *
     * @throws IllegalArgumentException if a field is out of its range (see the parameters)
     */
    public ChunkHeader {
        String problem = problem(messageId, index, count, totalLength);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Returns what is wrong with these values, or {@code null} if they form a valid header. */
    static String problem(int messageId, int index, int count, int totalLength) {
        if (messageId < 0) {
            return "chunk messageId must be >= 0, was " + messageId;
        }
        if (count < 1) {
            return "chunk count must be >= 1, was " + count;
        }
        if (index < 0 || index >= count) {
            return "chunk index must be in [0, count) = [0, " + count + "), was " + index;
        }
        if (totalLength < count) {
            return "chunk totalLength must be >= count (" + count + ", no chunk is empty), was " + totalLength;
        }
        return null;
    }
}
