package dev.ensemble.core.internal.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * INTERNAL API: turns one request line into a {@link Request}, or an {@link InspectError} that
 * carries the id when it could be read. Stateless and thread-safe.
 */
public final class RequestParser {
    /** At most 1 MiB per line (docs/SHELL.md); a line is measured in UTF-16 units, bytes >= chars. */
    public static final int MAX_LINE_CHARS = 1 << 20;

    /** The ops of protocol version 1. */
    public static final Set<String> OPS =
            Set.of("ls", "tree", "cat", "actions", "send", "trace", "watch", "history", "top", "cancel");

    /** What a failed parse learned: the id (if any) and the error. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Long id;
        private final InspectError error;

        Failure(Long id, InspectError error) {
            super(error.getMessage(), null, false, false);
            this.id = id;
            this.error = error;
        }

        /** @return the request's id, or null if it could not be read */
        public Long id() {
            return id;
        }

        public InspectError error() {
            return error;
        }
    }

    private RequestParser() {}

    /**
     * @param line one line, without its terminator
     * @return the request
     * @throws Failure if the line is too long, not JSON, not an object, has no valid id or an
     *     unknown op
     */
    public static Request parse(String line) {
        if (line.length() > MAX_LINE_CHARS || utf8Length(line) > MAX_LINE_CHARS) {
            throw new Failure(
                    idPrefix(line),
                    new InspectError(
                            InspectError.TOO_LARGE,
                            "a request line is at most " + MAX_LINE_CHARS + " bytes; this one is longer"));
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new Failure(
                    idPrefix(line),
                    new InspectError(InspectError.BAD_REQUEST, "not JSON: " + Json.cut(e.getMessage(), 160)));
        }
        if (tree == null || !tree.isObject()) {
            throw new Failure(
                    null,
                    new InspectError(
                            InspectError.BAD_REQUEST,
                            "a request must be a JSON object, but was " + Json.cut(String.valueOf(tree), 80)));
        }
        JsonNode id = tree.get("id");
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() < 0) {
            throw new Failure(
                    null,
                    new InspectError(
                            InspectError.BAD_REQUEST,
                            "field \"id\" must be a non-negative integer, but was "
                                    + (id == null ? "missing" : Json.cut(id.toString(), 40))));
        }
        long requestId = id.asLong();
        JsonNode op = tree.get("op");
        if (op == null || !op.isTextual()) {
            throw new Failure(
                    requestId,
                    new InspectError(
                            InspectError.BAD_REQUEST,
                            "field \"op\" must be a string, but was "
                                    + (op == null ? "missing" : Json.cut(op.toString(), 40))));
        }
        if (!OPS.contains(op.asText())) {
            throw new Failure(
                    requestId,
                    new InspectError(
                            InspectError.BAD_REQUEST,
                            "unknown op \"" + Json.cut(op.asText(), 40) + "\" (expected one of "
                                    + new java.util.TreeSet<>(OPS) + ")"));
        }
        return new Request(requestId, op.asText(), (ObjectNode) tree);
    }

    /**
     * @return N of a line that starts {@code {"id":N} (as the local socket reads it), so that an
     *     error about a line too long or not JSON still names its request; else null
     */
    static Long idPrefix(String line) {
        java.util.regex.Matcher m = ID_PREFIX.matcher(line.length() > 64 ? line.substring(0, 64) : line);
        if (!m.lookingAt()) {
            return null;
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException tooBig) {
            return null;
        }
    }

    private static final java.util.regex.Pattern ID_PREFIX =
            java.util.regex.Pattern.compile("\\{\\s*\"id\"\\s*:\\s*(\\d{1,19})[\\s,}]");

    /** Counts UTF-8 bytes only for lines that could exceed the limit in bytes. */
    private static int utf8Length(String line) {
        if (line.length() * 3L <= MAX_LINE_CHARS) {
            return line.length();
        }
        int bytes = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
