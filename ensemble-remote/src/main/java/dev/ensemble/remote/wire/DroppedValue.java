package dev.ensemble.remote.wire;

/**
 * A chunked value that a {@link ChunkReassembler} dropped and whose first bytes it has (its chunk
 * 0), so that the receiver can tell the sender what was lost: a call's caller gets an error reply,
 * and a reply's ask fails at once rather than at its timeout. {@link FrameHead#parse} reads the
 * head.
 *
 * @param messageId the chunked value's message id
 * @param totalLength the length of the whole frame, as its chunks declare it
 * @param cause why: {@link Cause#TOO_LARGE} when {@code totalLength} is above the receiver's
 *     {@code maxValueSize}, {@link Cause#TOO_MANY_PARTIAL} when the sender already had as many
 *     incomplete values as allowed
 * @param limit the limit that was passed: {@code maxValueSize} in bytes, or {@code maxPartialValues}
 * @param head the first bytes of the frame (the data of chunk 0); not copied, do not change it
 */
public record DroppedValue(long messageId, int totalLength, Cause cause, int limit, byte[] head) {

    /** Why a value was dropped that its sender should hear about. */
    public enum Cause {
        /** Larger than the receiver's {@code maxValueSize}. */
        TOO_LARGE,
        /** The sender already had {@code maxPartialValues} incomplete values at the receiver. */
        TOO_MANY_PARTIAL
    }
}
