package dev.ensemble.remote.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.core.inspect.InspectionSession;
import dev.ensemble.core.inspect.Inspector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A small inspector for tests, speaking the protocol's line shapes: {@code echo} replies with its
 * {@code text} and the session's access; {@code stream} sends {@code n} events (each padded to
 * {@code size} characters if given) then its end; {@code trace} opens a stream that ends only with
 * the session; {@code send} is a write op ({@code forbidden} in a read session). It records each
 * session and each request it saw.
 */
final class ScriptedInspector implements Inspector {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One opened session, as the inspector sees it. */
    static final class Session implements InspectionSession {
        final InspectionAccess access;
        final Consumer<String> sink;
        final List<String> requests = new CopyOnWriteArrayList<>();
        volatile boolean closed;
        volatile boolean tracing;
        /** Requests fully handled (their lines all given to the sink). */
        final java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();

        Session(InspectionAccess access, Consumer<String> sink) {
            this.access = access;
            this.sink = sink;
        }

        @Override
        public void request(String line) {
            try {
                handle(line);
            } finally {
                handled.incrementAndGet();
            }
        }

        private void handle(String line) {
            requests.add(line);
            JsonNode request;
            try {
                request = JSON.readTree(line);
            } catch (Exception e) {
                emit(error(null, "bad-request", "not a JSON object"));
                return;
            }
            if (request == null || !request.isObject() || !request.path("id").canConvertToLong()) {
                emit(error(null, "bad-request", "no id"));
                return;
            }
            long id = request.get("id").asLong();
            String op = request.path("op").asText();
            switch (op) {
                case "echo" -> {
                    ObjectNode result = JSON.createObjectNode();
                    result.put("text", request.path("text").asText());
                    result.put("access", access.name().toLowerCase());
                    emit(ok(id, result));
                }
                case "stream" -> {
                    int n = request.path("n").asInt();
                    int size = request.path("size").asInt(0);
                    for (int i = 0; i < n; i++) {
                        ObjectNode line2 = JSON.createObjectNode();
                        line2.put("id", id);
                        ObjectNode event = line2.putObject("event");
                        event.put("i", i);
                        if (size > 0) {
                            event.put("pad", "x".repeat(size));
                        }
                        emit(line2.toString());
                    }
                    ObjectNode end = JSON.createObjectNode();
                    end.put("ended", "max");
                    end.put("count", n);
                    emit(ok(id, end));
                }
                case "trace" -> tracing = true;
                case "send" -> {
                    if (access != InspectionAccess.WRITE) {
                        emit(error(id, "forbidden", "send needs write access"));
                    } else {
                        emit(ok(id, JSON.createObjectNode().put("kind", "tell")));
                    }
                }
                default -> emit(error(id, "bad-request", "unknown op \"" + op + "\""));
            }
        }

        private void emit(String line) {
            if (!closed) {
                sink.accept(line);
            }
        }

        @Override
        public void close() {
            closed = true;
            tracing = false;
        }
    }

    final List<Session> sessions = new CopyOnWriteArrayList<>();

    @Override
    public InspectionSession open(InspectionAccess access, Consumer<String> sink) {
        Session session = new Session(access, sink);
        sessions.add(session);
        sink.accept("{\"type\":\"hello\",\"protocol\":1,\"system\":\"scripted\",\"pid\":1,\"access\":\""
                + access.name().toLowerCase() + "\"}");
        return session;
    }

    /** @return every request line any session saw */
    List<String> allRequests() {
        return sessions.stream().flatMap(s -> s.requests.stream()).toList();
    }

    private static String ok(long id, JsonNode result) {
        ObjectNode line = JSON.createObjectNode();
        line.put("id", id);
        line.put("ok", true);
        line.set("result", result);
        return line.toString();
    }

    private static String error(Long id, String code, String message) {
        return dev.ensemble.core.inspect.ProtocolLines.error(id, code, message);
    }
}
