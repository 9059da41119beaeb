package dev.ensemble.piano.bot;

/** A MIDI file could not be turned into a melody; the message names the file and the reason. */
public final class MelodyLoadException extends Exception {
    /**
     * @param message the file and what was wrong
     * @param cause the underlying failure, or null
     */
    public MelodyLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
