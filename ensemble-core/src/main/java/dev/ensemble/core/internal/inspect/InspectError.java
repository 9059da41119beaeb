package dev.ensemble.core.internal.inspect;

/**
 * INTERNAL API: a request that ends in an error reply of the inspection protocol: a stable
 * {@link #code()} (docs/SHELL.md, "Error codes") and a message for people.
 */
public final class InspectError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final String BAD_REQUEST = "bad-request";
    public static final String TOO_LARGE = "too-large";
    public static final String NO_SUCH_PATH = "no-such-path";
    public static final String NOT_AN_ACTOR = "not-an-actor";
    public static final String NO_SUCH_ACTION = "no-such-action";
    public static final String BAD_ARGUMENT = "bad-argument";
    public static final String FORBIDDEN = "forbidden";
    public static final String FAILED = "failed";
    public static final String TIMEOUT = "timeout";
    public static final String UNAVAILABLE = "unavailable";
    public static final String BUSY = "busy";

    private final String code;

    public InspectError(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** @return the protocol's error code */
    public String code() {
        return code;
    }
}
