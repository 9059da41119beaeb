package dev.ensemble.remote.inspect;

/**
 * INTERNAL API: how the serving node says that a session has ended; it crosses the wire as the
 * class name and message of a failed {@link InspectionGate#poll}.
 */
public final class InspectionEndedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message why the session ended */
    public InspectionEndedException(String message) {
        super(message, null, false, false);
    }
}
