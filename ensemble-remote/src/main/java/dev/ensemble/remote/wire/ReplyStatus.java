package dev.ensemble.remote.wire;

/**
 * How a call or a subscription ended, as a {@link Frame.Reply} reports it. Every status but
 * {@link #OK} carries an error type and a message instead of a value.
 */
public enum ReplyStatus {
    /** Done; an ask's reply carries the result (null for a subscription). */
    OK(0x00),
    /** The action threw or its future failed; the error type is the exception's class name. */
    FAILED(0x01),
    /** The access policy of the exposed actor does not let the caller do this. */
    UNAUTHORIZED(0x02),
    /** No actor of that name is exposed on the node. */
    UNKNOWN_ACTOR(0x03),
    /** The actor has no action of that name, or it is an ask called as a tell (or the reverse). */
    UNKNOWN_ACTION(0x04),
    /** The arguments do not fit the action: wrong count, unregistered type, undecodable bytes. */
    BAD_ARGUMENTS(0x05),
    /** The action's result could not be encoded (for example, its type is not registered). */
    BAD_RESULT(0x06),
    /** The actor is stopped or its mailbox is full; the call was not delivered. */
    UNAVAILABLE(0x07),
    /**
     * The call's frame is larger than the serving node's {@code maxValueSize}: it was dropped
     * unread, and the call never reached the actor. The message names the size and the limit. (A
     * node older than this status drops such a reply as malformed; its ask then times out.)
     */
    TOO_LARGE(0x08);

    private static final ReplyStatus[] BY_CODE = new ReplyStatus[9];

    static {
        for (ReplyStatus status : values()) {
            BY_CODE[status.code] = status;
        }
    }

    private final int code;

    ReplyStatus(int code) {
        this.code = code;
    }

    /** @return the status byte on the wire */
    public int code() {
        return code;
    }

    /**
     * @param code a status byte
     * @return its status, or null if the byte is not defined in version 1
     */
    static ReplyStatus ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
