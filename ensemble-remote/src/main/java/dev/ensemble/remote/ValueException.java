package dev.ensemble.remote;

/** A value that could not be encoded or decoded; the message names the type. */
final class ValueException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String type;

    ValueException(String type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    /** @return the type at fault: a class name or a wire name */
    String type() {
        return type;
    }
}
