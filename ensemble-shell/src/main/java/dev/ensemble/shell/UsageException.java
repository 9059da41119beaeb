package dev.ensemble.shell;

/** The shell was started with flags it does not accept; its message says which and why (exit status 2). */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
