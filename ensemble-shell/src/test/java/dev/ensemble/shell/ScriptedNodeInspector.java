package dev.ensemble.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.core.inspect.InspectionSession;
import dev.ensemble.core.inspect.Inspector;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An {@link Inspector} for the remote attach's tests, answering as docs/SHELL.md specifies: {@code /}
 * holds one actor {@code x} whose state is {@code {"n":1}}; {@code trace} sends one event and then
 * runs until its session closes (so a test can take the node away mid-trace). Records its sessions.
 */
final class ScriptedNodeInspector implements Inspector {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String TRACE_EVENT = "{\"time\":\"2026-12-06T12:00:01.250Z\",\"sender\":null,\"receiver\":\"/x\","
            + "\"kind\":\"tell\",\"action\":\"inc\",\"args\":\"[]\",\"queueUs\":3,\"durationUs\":5,"
            + "\"outcome\":\"succeeded\"}";

    /** Each session opened, in order. */
    final List<Session> sessions = new CopyOnWriteArrayList<>();

    @Override
    public InspectionSession open(InspectionAccess access, Consumer<String> sink) {
        Session session = new Session(sink);
        sessions.add(session);
        sink.accept("{\"type\":\"hello\",\"protocol\":1,\"system\":\"node\",\"pid\":"
                + ProcessHandle.current().pid() + ",\"access\":\""
                + access.name().toLowerCase(Locale.ROOT) + "\"}");
        return session;
    }

    /** One shell's session. */
    static final class Session implements InspectionSession {
        final Consumer<String> sink;
        final List<JsonNode> requests = new CopyOnWriteArrayList<>();
        volatile boolean tracing;
        volatile boolean closed;

        Session(Consumer<String> sink) {
            this.sink = sink;
        }

        @Override
        public void request(String line) {
            JsonNode request;
            try {
                request = JSON.readTree(line);
            } catch (Exception e) {
                sink.accept("{\"id\":null,\"ok\":false,\"error\":{\"code\":\"bad-request\",\"message\":\"not JSON\"}}");
                return;
            }
            requests.add(request);
            long id = request.path("id").asLong();
            String op = request.path("op").asText();
            String path = request.path("path").asText("/");
            ObjectNode reply = JSON.createObjectNode().put("id", id).put("ok", true);
            ObjectNode result = reply.putObject("result");
            switch (op) {
                case "ls" -> {
                    result.put("path", path);
                    if (path.equals("/")) {
                        result.putArray("entries")
                                .addObject()
                                .put("name", "x")
                                .put("path", "/x")
                                .put("kind", "actor");
                    } else {
                        result.putArray("entries");
                    }
                }
                case "cat" -> {
                    result.put("path", "/x").put("type", "Counter");
                    result.putObject("state").put("n", 1);
                }
                case "trace" -> {
                    tracing = true;
                    sink.accept("{\"id\":" + id + ",\"event\":" + TRACE_EVENT + "}");
                    return; // runs until the session closes
                }
                default -> {
                    sink.accept("{\"id\":" + id + ",\"ok\":false,\"error\":{\"code\":\"bad-request\",\"message\":"
                            + "\"unknown op " + op + "\"}}");
                    return;
                }
            }
            sink.accept(reply.toString());
        }

        @Override
        public void close() {
            closed = true;
            tracing = false;
        }
    }
}
