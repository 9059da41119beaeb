package dev.ensemble.collab.view;

/**
 * The input is not a change {@link ChangeOps} can read; it returns null, and the caller applies
 * the change another way. Stackless: it is control flow on untrusted input, not an error.
 */
final class UnreadableChangeException extends RuntimeException {
    UnreadableChangeException() {
        super(null, null, false, false);
    }
}
