package dev.ensemble.piano.cli;

/** The command line was not understood; the message says what was wrong. */
public final class UsageException extends Exception {
    /**
     * @param message what was wrong, naming the option and the value seen
     */
    public UsageException(String message) {
        super(message);
    }
}
