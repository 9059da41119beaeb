package dev.ensemble.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.core.inspect.InspectionSession;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell's end of the inspection protocol (docs/SHELL.md, "Protocol") over any {@link Attacher}:
 * checks the {@code hello}, numbers requests, routes each reply, error and stream event to the
 * request it answers, and fails every open request when the connection ends.
 *
 * <p>Threading: requests may be sent from any thread. Stream events are handed to their consumer
 * on the attachment's reader thread, in order, before the stream's {@link Call#result()} completes.
 */
final class InspectionClient implements AutoCloseable {
    /** The protocol version this shell speaks. */
    static final int PROTOCOL = 1;

    /** How long the process has to send its {@code hello}. */
    static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(InspectionClient.class);

    private final ObjectMapper json;
    private final Map<Long, Call> open = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<JsonNode> hello = new CompletableFuture<>();
    private final CompletableFuture<String> disconnected = new CompletableFuture<>();
    private volatile InspectionSession session;

    private InspectionClient(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Attaches and waits for the process's {@code hello}.
     *
     * @param attacher how to reach the process
     * @param json the shell's mapper
     * @return the client, ready for requests
     * @throws AttachException if the process cannot be reached, sends no hello in time, or speaks
     *     another protocol version
     */
    static InspectionClient attach(Attacher attacher, ObjectMapper json) throws AttachException {
        InspectionClient client = new InspectionClient(json);
        client.session = attacher.attach(client::onLine, client::onDisconnected);
        JsonNode hello;
        try {
            hello = client.hello.get(HELLO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            client.close();
            throw new AttachException(attacher.describe() + " sent no hello within " + HELLO_TIMEOUT.toSeconds()
                    + " s; is it an ensemble inspection socket?");
        } catch (ExecutionException e) {
            client.close();
            throw new AttachException(
                    "attaching to " + attacher.describe() + " failed: "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new AttachException("interrupted while attaching to " + attacher.describe());
        }
        int protocol = hello.path("protocol").asInt(-1);
        if (protocol != PROTOCOL) {
            client.close();
            throw new AttachException(attacher.describe() + " speaks inspection protocol " + hello.path("protocol")
                    + "; this shell speaks " + PROTOCOL + " (use an ensemble-shell of the process's version)");
        }
        return client;
    }

    /**
     * @return the process's {@code hello} line (its {@code system}, {@code pid}, {@code access})
     */
    JsonNode hello() {
        return hello.join();
    }

    /**
     * @return why the connection ended, or null while it is open
     */
    String disconnectReason() {
        return disconnected.getNow(null);
    }

    /**
     * @param onDisconnect called once, with the reason, when the connection ends (at once if it has)
     */
    void onDisconnect(Consumer<String> onDisconnect) {
        disconnected.thenAccept(onDisconnect);
    }

    /**
     * Sends a request; its {@code id} is filled in here.
     *
     * @param request the request without {@code id}
     * @param events receives a stream's events, or null for a request that is not a stream
     * @return the request in flight
     * @throws CommandException if the connection has ended
     */
    Call start(ObjectNode request, Consumer<JsonNode> events) throws CommandException {
        String reason = disconnectReason();
        if (reason != null) {
            throw new CommandException(CommandException.DISCONNECTED, reason);
        }
        long id = ids.incrementAndGet();
        ObjectNode line = json.createObjectNode().put("id", id);
        line.setAll(request);
        Call call = new Call(id, events);
        open.put(id, call);
        reason = disconnectReason();
        if (reason != null) {
            // the connection ended between the check and the registration: nobody else fails it
            open.remove(id);
            throw new CommandException(CommandException.DISCONNECTED, reason);
        }
        session.request(line.toString());
        return call;
    }

    /**
     * Sends a request and waits for its reply.
     *
     * @param request the request without {@code id}
     * @param timeout how long to wait
     * @return the reply's {@code result}
     * @throws CommandException on an error reply, a disconnection or the timeout
     */
    JsonNode call(ObjectNode request, Duration timeout) throws CommandException {
        Call call = start(request, null);
        try {
            return call.result().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            open.remove(call.id());
            throw new CommandException("timeout", "no reply from the process within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted", "interrupted");
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    /**
     * Ends a stream early; its reply then comes with {@code "ended":"cancelled"}.
     *
     * @param stream the stream's request
     */
    void cancel(Call stream) {
        if (disconnectReason() != null || stream.result().isDone()) {
            return;
        }
        try {
            start(json.createObjectNode().put("op", "cancel").put("target", stream.id()), null);
        } catch (CommandException e) {
            // disconnected meanwhile: closing the connection cancels every stream anyway
        }
    }

    /**
     * Stops waiting for a request that is not a stream: its late reply, if any, is ignored.
     *
     * @param call the request
     */
    void abandon(Call call) {
        open.remove(call.id());
        call.result().completeExceptionally(new CommandException("interrupted", "interrupted"));
    }

    static CommandException unwrap(ExecutionException e) {
        if (e.getCause() instanceof CommandException failure) {
            return failure;
        }
        return new CommandException("failed", String.valueOf(e.getCause()));
    }

    private void onLine(String line) {
        JsonNode message;
        try {
            message = json.readTree(line);
        } catch (JsonProcessingException e) {
            log.warn("ignoring a line from the process that is not JSON: {}", line);
            return;
        }
        if (!hello.isDone()) {
            if (message == null || !"hello".equals(message.path("type").asText())) {
                hello.completeExceptionally(
                        new IllegalStateException("the first line is not the protocol's hello: " + abbreviate(line)));
                return;
            }
            hello.complete(message);
            return;
        }
        if (message == null || !message.path("id").canConvertToLong()) {
            log.warn("ignoring a line from the process without an id: {}", abbreviate(line));
            return;
        }
        long id = message.path("id").asLong();
        Call call = open.get(id);
        if (call == null) {
            return; // an abandoned request's late answer
        }
        if (message.has("event")) {
            if (call.events != null) {
                call.events.accept(message.get("event"));
            }
            return;
        }
        open.remove(id);
        if (message.path("ok").asBoolean(false)) {
            call.result.complete(message.path("result"));
        } else {
            JsonNode error = message.path("error");
            call.result.completeExceptionally(new CommandException(
                    error.path("code").asText("failed"),
                    error.path("message").asText("the process reported an error")));
        }
    }

    private void onDisconnected(String reason) {
        disconnected.complete(reason);
        hello.completeExceptionally(new IllegalStateException(reason));
        for (Call call : open.values()) {
            call.result.completeExceptionally(new CommandException(CommandException.DISCONNECTED, reason));
        }
        open.clear();
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    /** Ends the session; open requests fail as disconnected. */
    @Override
    public void close() {
        InspectionSession current = session;
        if (current != null) {
            current.close();
        }
        onDisconnected("the shell closed the connection");
    }

    /** A request in flight. */
    static final class Call {
        private final long id;
        private final Consumer<JsonNode> events;
        private final CompletableFuture<JsonNode> result = new CompletableFuture<>();

        Call(long id, Consumer<JsonNode> events) {
            this.id = id;
            this.events = events;
        }

        /**
         * @return its id
         */
        long id() {
            return id;
        }

        /**
         * @return its reply's {@code result}, or a {@link CommandException} for an error reply or a
         *     disconnection
         */
        CompletableFuture<JsonNode> result() {
            return result;
        }

        /**
         * @return whether it is a stream (has an event consumer)
         */
        boolean isStream() {
            return events != null;
        }
    }
}
