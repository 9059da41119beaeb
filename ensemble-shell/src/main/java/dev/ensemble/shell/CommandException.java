package dev.ensemble.shell;

/**
 * A command failed: an error reply of the process (its protocol code, e.g. {@code no-such-path}) or
 * a failure found by the shell itself (codes in docs/SHELL.md, "Commands": {@code unknown-command},
 * {@code usage}, {@code bad-json}, {@code disconnected}, {@code interrupted}).
 */
final class CommandException extends Exception {
    static final String DISCONNECTED = "disconnected";

    private final String code;

    CommandException(String code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * @return the error's stable code
     */
    String code() {
        return code;
    }
}
