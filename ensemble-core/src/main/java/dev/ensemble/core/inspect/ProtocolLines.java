package dev.ensemble.core.inspect;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The protocol lines that a transport of inspection sessions writes itself, for input that never
 * reaches an {@link InspectionSession} (a line too large, a session that has ended), so that every
 * transport answers in the same shape as the inspector (docs/SHELL.md, "Lines").
 *
 * <p>Thread-safe; stateless.
 */
public final class ProtocolLines {
    /** How much of a line's start {@link #leadingId} looks at: a 1 MiB line costs no more than a short one. */
    private static final int ID_PREFIX = 64;

    private static final Pattern LEADING_ID = Pattern.compile("^\\s*\\{\\s*\"id\"\\s*:\\s*(\\d{1,18})\\s*[,}]");

    private ProtocolLines() {}

    /**
     * @param id the request's id, or null if it could not be read
     * @param code an error code of the protocol
     * @param message what went wrong
     * @return {@code {"id":ID,"ok":false,"error":{"code":CODE,"message":MESSAGE}}}
     */
    public static String error(Long id, String code, String message) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        if (id == null) {
            line.putNull("id");
        } else {
            line.put("id", id.longValue());
        }
        line.put("ok", false);
        ObjectNode error = line.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return line.toString();
    }

    /**
     * Finds the id of a request whose line starts <code>{"id":N</code> (whitespace allowed), as the shell
     * writes them, so that an error about a line that cannot be parsed still reaches its request.
     *
     * @param line a request line, however long
     * @return the id, or null if the line does not start that way
     */
    public static Long leadingId(String line) {
        Matcher matcher = LEADING_ID.matcher(line.length() <= ID_PREFIX ? line : line.substring(0, ID_PREFIX));
        return matcher.find() ? Long.valueOf(matcher.group(1)) : null;
    }
}
