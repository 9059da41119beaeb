package dev.ensemble.piano.sound;

/** A WAV file could not be rendered; the message says why and what to do. */
public final class RenderException extends Exception {
    /**
     * @param message what went wrong and what to do
     */
    public RenderException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do
     * @param cause the underlying failure
     */
    public RenderException(String message, Throwable cause) {
        super(message, cause);
    }
}
