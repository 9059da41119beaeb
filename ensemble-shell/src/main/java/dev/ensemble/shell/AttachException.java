package dev.ensemble.shell;

/**
 * The shell could not attach to the process, or lost it: no socket, refused, an unknown protocol
 * version, the remote attach missing from this build (exit status 3). The message is for the user.
 */
public final class AttachException extends Exception {
    /**
     * @param message what failed and, where there is one, what to do
     */
    public AttachException(String message) {
        super(message);
    }

    /**
     * @param message what failed and, where there is one, what to do
     * @param cause the underlying failure
     */
    public AttachException(String message, Throwable cause) {
        super(message, cause);
    }
}
