package dev.ensemble.core.internal.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * INTERNAL API: an actor's or a namespace's state as JSON through Jackson, with a fallback for a
 * state Jackson cannot serialize (a cycle, a getter that throws, a type it refuses): the state's
 * {@code toString()} as a JSON string, and the reason in {@link Result#error()}. Never throws.
 */
public final class StateJson {
    /** A summary is at most this long (docs/SHELL.md, ENTRY). */
    public static final int SUMMARY_CHARS = 120;

    /**
     * @param json the state, or its {@code toString()} as a string if it did not serialize
     * @param error why it did not serialize, or null
     */
    public record Result(JsonNode json, String error) {}

    private StateJson() {}

    /** @return the state as JSON, or the fallback */
    public static Result of(Object state) {
        try {
            return new Result(Json.MAPPER.valueToTree(state), null);
        } catch (Throwable e) {
            String why = "Jackson cannot serialize "
                    + (state == null ? "null" : state.getClass().getName()) + ": "
                    + Json.cut(String.valueOf(e.getMessage()), 300);
            return new Result(new TextNode(safeToString(state)), why);
        }
    }

    /** @return one line of at most 120 characters: the compact JSON, or the fallback's text */
    public static String summary(Object state) {
        Result result = of(state);
        String text = result.json().isTextual() ? result.json().asText() : Json.write(result.json());
        return Json.cut(text, SUMMARY_CHARS);
    }

    static String safeToString(Object value) {
        try {
            return String.valueOf(value);
        } catch (Throwable e) {
            return value.getClass().getName() + " (toString threw "
                    + e.getClass().getSimpleName() + ")";
        }
    }
}
