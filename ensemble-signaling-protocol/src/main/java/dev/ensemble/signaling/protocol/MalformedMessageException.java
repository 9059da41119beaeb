package dev.ensemble.signaling.protocol;

/**
 * A frame that does not follow the protocol: not JSON, an unknown type, a missing or invalid field, or
 * a relay frame with a bad layout. The message names the rule, the value seen and the message type.
 * A server answers it with {@link ErrorCode#BAD_REQUEST}.
 */
public final class MalformedMessageException extends Exception {

    /** Creates the exception with a message that names what is wrong. */
    public MalformedMessageException(String message) {
        super(message);
    }

    /** Creates the exception with a message that names what is wrong and the parser's own error. */
    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
