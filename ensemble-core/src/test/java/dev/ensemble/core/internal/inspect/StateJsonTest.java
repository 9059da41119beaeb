package dev.ensemble.core.internal.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** States as JSON, and the fallback for those Jackson cannot serialize. */
class StateJsonTest {
    record Point(int x, int y) {}

    @Test
    void aRecordBecomesAnObject() {
        StateJson.Result result = StateJson.of(new Point(1, 2));
        assertEquals("{\"x\":1,\"y\":2}", result.json().toString());
        assertNull(result.error());
    }

    @Test
    void aCycleFallsBackToTheTextWithTheReason() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        StateJson.Result result = StateJson.of(new Object() {
            public List<Object> getItems() {
                return cycle;
            }

            @Override
            public String toString() {
                return "cyclic";
            }
        });
        assertEquals("cyclic", result.json().asText());
        assertTrue(result.error().startsWith("Jackson cannot serialize "), result.error());
    }

    @Test
    void aSummaryIsOneLineOfAtMost120Characters() {
        String summary = StateJson.summary(List.of("x".repeat(300)));
        assertEquals(120, summary.length());
        assertTrue(summary.endsWith("…"));
        assertEquals("[\"a\",\"b\"]", StateJson.summary(List.of("a", "b")));
    }
}
