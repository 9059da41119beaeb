package dev.ensemble.transport.webrtc;

/**
 * WebRTC cannot run in this process: webrtc-java's native library did not load (for example
 * Debian's {@code libpulse0} is missing) or its factory could not be created. The message says
 * what to install or check. An application catches it, logs it once and keeps its peers on the
 * WebSocket relay; {@link WebRtcNatives#isAvailable()} answers the same question without a
 * throw.
 */
public final class WebRtcUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed and what to do about it
     * @param cause the underlying failure
     */
    public WebRtcUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
