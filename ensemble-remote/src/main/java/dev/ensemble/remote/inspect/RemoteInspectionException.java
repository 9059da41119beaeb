package dev.ensemble.remote.inspect;

import java.util.Objects;

/** Why a shell could not attach to a node, or lost its session. */
public final class RemoteInspectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** The node did not grant this identity inspection (or serves none): nothing was opened. */
        REFUSED,
        /** The node already has as many sessions as it allows (in all, or of this identity). */
        BUSY,
        /** The node could not be reached: not in the room, not connected in time, or down. */
        UNREACHABLE,
        /** Anything else: the message says what. */
        FAILED
    }

    private final Reason reason;

    /**
     * @param reason what went wrong
     * @param message the rule, what was seen, and what to do
     * @param cause the underlying failure, or null
     */
    public RemoteInspectionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return what went wrong */
    public Reason reason() {
        return reason;
    }
}
