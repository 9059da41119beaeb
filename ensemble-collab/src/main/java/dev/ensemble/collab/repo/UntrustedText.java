package dev.ensemble.collab.repo;

/**
 * INTERNAL API: text a remote peer chose (its peer id, a message type), made safe to put in a log
 * line or an error message. Any client may claim any id, so anything but printable ASCII is escaped
 * ({@code \u000a}), which keeps a newline from forging log lines and a control sequence from a
 * terminal, and the text is cut at {@link #MAX_CODE_POINTS} code points with an ellipsis.
 *
 * <p>Thread-safe: stateless.
 */
public final class UntrustedText {
    /** How much of the text is shown. */
    public static final int MAX_CODE_POINTS = 64;

    private UntrustedText() {}

    /**
     * @param text what the peer sent
     * @return it escaped and cut short, for logs and error messages
     */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(MAX_CODE_POINTS).forEach(c -> {
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.appendCodePoint(c);
            } else {
                out.append(String.format("\\u%04x", c));
            }
        });
        return text.codePointCount(0, text.length()) > MAX_CODE_POINTS ? out + "…" : out.toString();
    }
}
