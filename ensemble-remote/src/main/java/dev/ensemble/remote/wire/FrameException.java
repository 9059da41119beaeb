package dev.ensemble.remote.wire;

/**
 * A frame that is not a valid version-1 remote frame. The message names the field, the value seen
 * and the offset of the field's first byte; {@link #problem()} classifies it. A receiver drops such
 * a frame, counts it and keeps the link: one bad frame never affects another.
 */
public final class FrameException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kind of problem the frame has. */
    public enum Problem {
        /** The frame ends inside a field or before the length a field declares. */
        TRUNCATED,
        /** Non-minimal or over-long varint, invalid UTF-8, a value out of its range, trailing bytes. */
        MALFORMED,
        /** The frame, or a field, is longer than its limit. */
        OVERSIZED,
        /** Not a remote frame (wrong tag), another version, or a kind not defined in version 1. */
        UNSUPPORTED
    }

    private final Problem problem;
    private final int offset;

    FrameException(Problem problem, int offset, String message) {
        super(message + " at offset " + offset);
        this.problem = problem;
        this.offset = offset;
    }

    /** @return the kind of problem */
    public Problem problem() {
        return problem;
    }

    /** @return the offset of the first byte of the field at fault */
    public int offset() {
        return offset;
    }
}
