package dev.ensemble.collab;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Comparator;

/** Value equality of Jackson trees, with numbers compared by value (an int 5 equals a long 5). */
final class JsonValues {
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            if (a.isIntegralNumber() && b.isIntegralNumber() && a.canConvertToLong() && b.canConvertToLong()) {
                return Long.compare(a.longValue(), b.longValue());
            }
            return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
        }
        return a.equals(b) ? 0 : 1;
    };

    private JsonValues() {}

    static boolean same(JsonNode a, JsonNode b) {
        return a.equals(NUMBERS_BY_VALUE, b);
    }
}
