package dev.ensemble.doc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ensemble.collab.CollaborationEvents;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.DocPath;
import dev.ensemble.collab.repo.AutomergeUrl;
import dev.ensemble.collab.repo.DocumentId;
import dev.ensemble.collab.repo.RepoConnection;
import dev.ensemble.collab.repo.RepoConnectionActor;
import dev.ensemble.collab.repo.RepoConnectionSettings;
import dev.ensemble.collab.repo.RepoConnectionState;
import dev.ensemble.collab.repo.RepoSharing;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.transport.ws.WebSocketBinarySockets;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code java -jar ensemble-doc.jar COMMAND ... --server WS_URL}: automerge-repo documents from the
 * command line, against any automerge-repo sync server.
 *
 * <pre>
 * new JSON                 create a document holding JSON (an object); print its automerge: URL
 *                          once a second client can read it from the server
 * get URL                  print the document as JSON; "unavailable" and exit 2 if no peer has it
 * set URL PATH JSON        set a top-level key (or a JSON pointer such as /a/0/b) to JSON; exit
 *                          once a second client reads the change from the server
 * watch URL [--seconds N]  print the document as one JSON line now and after each change
 * </pre>
 *
 * Options: {@code --server WS_URL} (required), {@code --timeout SECONDS} (default 30: how long to
 * wait for the server), {@code --verbose} (log to stderr). Exit codes: 0 done, 1 failed or timed
 * out, 2 unavailable, 64 wrong usage.
 */
public final class DocCli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int UNAVAILABLE = 2;
    static final int USAGE = 64;

    private static final ActorToken<RepoConnection, RepoConnectionState> SERVER = RepoConnection.token("server");
    private static final ActorToken<JsonDocActions, JsonNode> DOC =
            ActorToken.of("doc", JsonDocActions.class, JsonNode.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** After the first merge, a document is taken as arrived once this long passes without another. */
    private static final Duration QUIET = Duration.ofMillis(300);

    private final PrintStream out;
    private final URI server;
    private final Duration timeout;
    private final List<ActorSystem> systems = new ArrayList<>();

    private DocCli(PrintStream out, URI server, Duration timeout) {
        this.out = out;
        this.server = server;
        this.timeout = timeout;
    }

    /** Runs a command and exits with its code. */
    public static void main(String[] args) {
        boolean verbose = List.of(args).contains("--verbose");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "off");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one command.
     *
     * @return the exit code
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> positional = new ArrayList<>();
        String server = null;
        long timeoutSeconds = 30;
        Long seconds = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--server" -> server = value(args, ++i, "--server");
                    case "--timeout" -> timeoutSeconds = Long.parseLong(value(args, ++i, "--timeout"));
                    case "--seconds" -> seconds = Long.parseLong(value(args, ++i, "--seconds"));
                    case "--verbose" -> {}
                    case "--help", "-h" -> {
                        usage(out);
                        return OK;
                    }
                    default -> positional.add(args[i]);
                }
            }
        } catch (NumberFormatException e) {
            err.println("ensemble-doc: " + e.getMessage() + " is not a whole number");
            return USAGE;
        } catch (IllegalArgumentException e) {
            err.println("ensemble-doc: " + e.getMessage());
            return USAGE;
        }
        if (positional.isEmpty() || server == null) {
            err.println("ensemble-doc: " + (positional.isEmpty() ? "no command given" : "--server WS_URL is required"));
            usage(err);
            return USAGE;
        }
        String command = positional.get(0);
        List<String> rest = positional.subList(1, positional.size());
        DocCli cli = new DocCli(out, URI.create(server), Duration.ofSeconds(timeoutSeconds));
        try {
            return switch (command) {
                case "new" -> arity(rest, 1, "new JSON", err) ? cli.create(rest.get(0)) : USAGE;
                case "get" -> arity(rest, 1, "get URL", err) ? cli.get(url(rest.get(0))) : USAGE;
                case "set" ->
                    arity(rest, 3, "set URL PATH JSON", err)
                            ? cli.set(url(rest.get(0)), rest.get(1), rest.get(2))
                            : USAGE;
                case "watch" ->
                    arity(rest, 1, "watch URL [--seconds N]", err) ? cli.watch(url(rest.get(0)), seconds) : USAGE;
                default -> {
                    err.println("ensemble-doc: unknown command " + command);
                    usage(err);
                    yield USAGE;
                }
            };
        } catch (Unavailable e) {
            err.println("ensemble-doc: unavailable: " + e.getMessage());
            return UNAVAILABLE;
        } catch (IllegalArgumentException e) {
            err.println("ensemble-doc: " + e.getMessage());
            return USAGE;
        } catch (Failure e) {
            err.println("ensemble-doc: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        } finally {
            cli.close();
        }
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static boolean arity(List<String> rest, int count, String usage, PrintStream err) {
        if (rest.size() != count) {
            err.println("ensemble-doc: usage: " + usage + " --server WS_URL");
            return false;
        }
        return true;
    }

    private static DocumentId url(String text) {
        return AutomergeUrl.parse(text).documentId();
    }

    static void usage(PrintStream out) {
        out.println("Usage: java -jar ensemble-doc.jar COMMAND ... --server WS_URL [--timeout SECONDS] [--verbose]");
        out.println();
        out.println("  new JSON                 create a document; print its automerge: URL once the server holds it");
        out.println("  get URL                  print the document as JSON (exit 2: unavailable)");
        out.println(
                "  set URL PATH JSON        set a key (or a JSON pointer: /a/0/b) to JSON; exit once the server has it");
        out.println("  watch URL [--seconds N]  print the document as one JSON line now and after each change");
    }

    // ------------------------------------------------------------------ commands

    private int create(String json) throws Failure, InterruptedException {
        JsonNode initial = normalized(json(json));
        if (!initial.isObject()) {
            throw new IllegalArgumentException("a document is a JSON object, but got " + json);
        }
        DocumentId id = DocumentId.random();
        open(id, RepoSharing.create(SERVER), initial);
        awaitServerHolds(id, view -> initial.equals(view), "the document");
        out.println(id.url());
        return OK;
    }

    private int get(DocumentId id) throws Failure, InterruptedException, Unavailable {
        ActorClient<JsonDocActions, JsonNode> doc = find(id, timeout);
        out.println(normalized(doc.state()));
        return OK;
    }

    private int set(DocumentId id, String path, String json) throws Failure, InterruptedException, Unavailable {
        JsonNode value = normalized(json(json));
        ActorClient<JsonDocActions, JsonNode> doc = find(id, timeout);
        DocPath docPath = path(path, doc.state());
        await(doc.actions().set(docPath, json), "the change");
        awaitServerHolds(id, view -> value.equals(at(view, docPath)), "the change");
        return OK;
    }

    private int watch(DocumentId id, Long seconds) throws Failure, InterruptedException, Unavailable {
        ActorClient<JsonDocActions, JsonNode> doc = find(id, timeout);
        AtomicReference<String> last = new AtomicReference<>();
        Object lock = new Object();
        Runnable print = () -> {
            String line = normalized(doc.state()).toString();
            synchronized (lock) {
                if (!line.equals(last.getAndSet(line))) {
                    out.println(line);
                    out.flush();
                }
            }
        };
        print.run();
        doc.onState(state -> print.run());
        if (seconds == null) {
            new CompletableFuture<Void>().join();
        } else {
            TimeUnit.SECONDS.sleep(seconds);
        }
        return OK;
    }

    // ------------------------------------------------------------------ the machinery

    private ActorClient<JsonDocActions, JsonNode> open(DocumentId id, RepoSharing sharing, JsonNode initial) {
        String peerId = "ensemble-doc-" + Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
        ActorSystem system = ActorSystem.builder(peerId)
                .add(
                        SERVER,
                        () -> new RepoConnectionActor(RepoConnectionSettings.builder(
                                        server, WebSocketBinarySockets.create(Duration.ofSeconds(10), 64 << 20))
                                .peerId(peerId)
                                .build()))
                .add(
                        DOC,
                        () -> new JsonDoc(CollaborationSettings.builder(id.toString(), JsonNode.class, initial)
                                .repo(sharing)
                                .build()),
                        SERVER)
                .start();
        systems.add(system);
        return system.client(DOC);
    }

    /**
     * Finds a document and waits until it has arrived: the first merge from the server, then
     * {@link #QUIET} without another.
     */
    private ActorClient<JsonDocActions, JsonNode> find(DocumentId id, Duration within)
            throws Failure, InterruptedException, Unavailable {
        AtomicLong lastMerge = new AtomicLong();
        AtomicReference<String> unavailable = new AtomicReference<>();
        ActorClient<JsonDocActions, JsonNode> doc =
                open(id, RepoSharing.find(SERVER).withFindTimeout(within), JsonNodeFactory.instance.objectNode());
        doc.onEvent(CollaborationEvents.MERGED, event -> lastMerge.set(System.nanoTime()));
        // Subscribed after start: a fast server's doc-unavailable may come first, but the event is
        // retained, so this listener still receives it.
        doc.onEvent(
                CollaborationEvents.UNAVAILABLE,
                event -> unavailable.compareAndSet(null, ((CollaborationEvents.Unavailable) event.payload()).reason()));
        long deadline = System.nanoTime() + within.toNanos() + QUIET.toNanos();
        while (System.nanoTime() < deadline) {
            long merged = lastMerge.get();
            if (merged != 0 && System.nanoTime() - merged >= QUIET.toNanos()) {
                return doc;
            }
            if (merged == 0 && unavailable.get() != null) {
                throw new Unavailable(unavailable.get());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new Unavailable("no answer from " + server + " within " + within.toSeconds() + " s");
    }

    /** Asks fresh clients, one after another, until one reads what {@code check} wants from the server. */
    private void awaitServerHolds(DocumentId id, java.util.function.Predicate<JsonNode> check, String what)
            throws Failure, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProblem = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                ActorClient<JsonDocActions, JsonNode> probe = find(id, Duration.ofSeconds(5));
                if (check.test(normalized(probe.state()))) {
                    return;
                }
                lastProblem = "the server's copy is " + normalized(probe.state());
            } catch (Unavailable e) {
                lastProblem = e.getMessage();
            }
            closeLast();
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new Failure(
                "the server did not hold " + what + " within " + timeout.toSeconds() + " s (" + lastProblem + ")");
    }

    private void await(CompletableFuture<?> future, String what) throws Failure, InterruptedException {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new Failure(what + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new Failure(what + " did not complete within " + timeout.toSeconds() + " s");
        }
    }

    private void closeLast() {
        systems.remove(systems.size() - 1).close();
    }

    private void close() {
        // Let the last sync messages leave before the connections close.
        systems.forEach(ActorSystem::close);
        systems.clear();
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + text);
        }
    }

    /**
     * The view as JSON is printed by JavaScript's {@code JSON.stringify}: a number without a
     * fraction is written as an integer (the view may hold it as a float, as JavaScript does), so
     * that output and comparisons do not depend on how a number was stored.
     */
    static JsonNode normalized(JsonNode view) {
        if (view.isFloatingPointNumber()
                && view.asDouble() == Math.rint(view.asDouble())
                && Math.abs(view.asDouble()) < 0x1p53) {
            return JsonNodeFactory.instance.numberNode((long) view.asDouble());
        }
        if (view.isIntegralNumber()) {
            return JsonNodeFactory.instance.numberNode(view.asLong());
        }
        if (view.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode copy = JsonNodeFactory.instance.objectNode();
            view.fields().forEachRemaining(entry -> copy.set(entry.getKey(), normalized(entry.getValue())));
            return copy;
        }
        if (view.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            view.forEach(element -> copy.add(normalized(element)));
            return copy;
        }
        return view;
    }

    /**
     * A key ("title") or a JSON pointer ("/a/0/b"); a segment is a list index where the document
     * holds a list at that point.
     */
    static DocPath path(String path, JsonNode document) {
        if (!path.startsWith("/")) {
            return DocPath.of(path);
        }
        DocPath result = DocPath.root();
        JsonNode node = document;
        for (String raw : path.substring(1).split("/", -1)) {
            String segment = raw.replace("~1", "/").replace("~0", "~");
            if (node != null && node.isArray()) {
                try {
                    int index = Integer.parseInt(segment);
                    result = result.then(index);
                    node = node.get(index);
                    continue;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("\"" + segment + "\" in " + path + " must be a list index");
                }
            }
            result = result.then(segment);
            node = node == null ? null : node.get(segment);
        }
        return result;
    }

    private static JsonNode at(JsonNode document, DocPath path) {
        JsonNode node = document;
        for (Object segment : path.segments()) {
            if (node == null) {
                return null;
            }
            node = segment instanceof Integer index ? node.get(index) : node.get(Objects.toString(segment));
        }
        return node;
    }

    /** No peer has the document. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    /** The server did not do what was asked in time, or a change failed. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }
}
