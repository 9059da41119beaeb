package dev.ensemble.transport.webrtc.signal;

/**
 * Signal data that is not a valid {@link Signal}: not JSON, the wrong shape, a field of the wrong
 * type, or a value out of range. The message names the rule and the value seen. A receiver drops
 * the signal and keeps running.
 */
public final class MalformedSignalException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the rule broken and the value seen
     * @param cause the underlying failure, or {@code null}
     */
    public MalformedSignalException(String message, Throwable cause) {
        super(message, cause);
    }
}
