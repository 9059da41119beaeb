package dev.ensemble.core.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.testkit.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test's end of an inspection session: sends request lines, collects every line the session
 * writes, and waits (with deadlines) for a request's reply or a stream's events.
 */
final class ShellProbe implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();

    final List<JsonNode> lines = new CopyOnWriteArrayList<>();
    final InspectionSession session;

    ShellProbe(Inspector inspector, InspectionAccess access) {
        session = inspector.open(access, line -> {
            try {
                lines.add(MAPPER.readTree(line));
            } catch (Exception e) {
                throw new AssertionError("the session wrote a line that is not JSON: " + line, e);
            }
        });
    }

    static JsonNode parse(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    JsonNode hello() {
        return Await.value("hello", () -> lines.isEmpty() ? null : lines.get(0));
    }

    /** Sends a line and waits for the reply or error with this id. */
    JsonNode call(long id, String line) {
        session.request(line);
        return reply(id);
    }

    /** @return the result of a successful reply */
    JsonNode ok(long id, String line) {
        JsonNode reply = line.isEmpty() ? reply(id) : call(id, line);
        assertTrue(reply.get("ok").asBoolean(), () -> "expected ok for " + line + " but got " + reply);
        return reply.get("result");
    }

    /** @return the error object, after checking its code */
    JsonNode error(Long id, String line, String code) {
        session.request(line);
        JsonNode reply = id == null ? nullIdError() : reply(id);
        assertEquals(false, reply.get("ok").asBoolean(), () -> "expected an error for " + line + " but got " + reply);
        assertEquals(code, reply.get("error").get("code").asText(), () -> "error of " + line + ": " + reply);
        return reply.get("error");
    }

    private JsonNode nullIdError() {
        return Await.value("an error with id null", () -> {
            for (JsonNode line : lines) {
                if (line.has("ok") && line.get("id").isNull() && !consumed.contains(line)) {
                    consumed.add(line);
                    return line;
                }
            }
            return null;
        });
    }

    private final List<JsonNode> consumed = new CopyOnWriteArrayList<>();

    JsonNode reply(long id) {
        return Await.value("reply to request " + id, () -> {
            for (JsonNode line : lines) {
                if (line.has("ok")
                        && line.get("id").isIntegralNumber()
                        && line.get("id").asLong() == id) {
                    return line;
                }
            }
            return null;
        });
    }

    /** @return the events of stream {@code id} so far, in order */
    List<JsonNode> events(long id) {
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode line : lines) {
            if (line.has("event") && line.get("id").asLong() == id) {
                events.add(line.get("event"));
            }
        }
        return events;
    }

    /** @return the index of the reply to {@code id} among all lines */
    int indexOfReply(long id) {
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            if (line.has("ok") && line.get("id").asLong() == id) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        session.close();
    }
}
