package dev.ensemble.core.internal.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * INTERNAL API: one parsed request of the inspection protocol: its id, its op and its fields,
 * read with the protocol's defaults and checked types ({@link InspectError#BAD_REQUEST} names a
 * field of the wrong type).
 *
 * @param id the shell's id for it
 * @param op the operation
 * @param fields the whole request object
 */
public record Request(long id, String op, ObjectNode fields) {
    /** @return the string field, or {@code fallback} if absent or null */
    public String string(String name, String fallback) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw wrongType(name, "a string", value);
        }
        return value.asText();
    }

    /** @return the string field; a missing one is a bad request */
    public String requiredString(String name) {
        String value = string(name, null);
        if (value == null) {
            throw new InspectError(InspectError.BAD_REQUEST, "op \"" + op + "\" needs the field \"" + name + "\"");
        }
        return value;
    }

    /** @return the boolean field, or {@code fallback} if absent */
    public boolean bool(String name, boolean fallback) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw wrongType(name, "true or false", value);
        }
        return value.asBoolean();
    }

    /**
     * @return the integer field within {@code [min, max]}, or {@code fallback} if absent
     */
    public long integer(String name, long fallback, long min, long max) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(name, "an integer", value);
        }
        long n = value.asLong();
        if (n < min || n > max) {
            throw new InspectError(
                    InspectError.BAD_REQUEST,
                    "field \"" + name + "\" must be between " + min + " and " + max + ", but was " + n);
        }
        return n;
    }

    /** @return the array field, or null if absent */
    public JsonNode array(String name) {
        JsonNode value = fields.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw wrongType(name, "an array", value);
        }
        return value;
    }

    /** @return the path field (default {@code fallback}), which must be absolute */
    public String path(String fallback) {
        String path = fallback == null ? requiredString("path") : string("path", fallback);
        if (!path.startsWith("/")) {
            throw new InspectError(
                    InspectError.BAD_REQUEST,
                    "field \"path\" must be absolute (start with /), but was \"" + path
                            + "\": relative paths are the shell's business");
        }
        return path;
    }

    private InspectError wrongType(String name, String expected, JsonNode value) {
        return new InspectError(
                InspectError.BAD_REQUEST,
                "field \"" + name + "\" must be " + expected + ", but was " + Json.cut(value.toString(), 80));
    }
}
