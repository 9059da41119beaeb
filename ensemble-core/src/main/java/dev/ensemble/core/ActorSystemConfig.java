package dev.ensemble.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.core.mailbox.MailboxConfig;
import dev.ensemble.core.mailbox.OverflowPolicy;
import dev.ensemble.core.supervision.SupervisorStrategy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Settings for an {@link ActorSystem} from a JSON file: which dispatcher, mailbox and
 * supervision each actor gets, so that deployment decides, not code. Settings given here
 * override those given to {@link ActorSystem.Builder#add} in code.
 *
 * <pre>{@code
 * {
 *   "throughput": 64,               // messages per turn on the shared pool before yielding
 *   "parallelism": 4,               // shared pool threads (default: one per core)
 *   "askTimeoutMillis": 5000,       // default ask timeout
 *   "actors": {
 *     "audio":   { "dispatcher": "dedicated" },
 *     "cursors": { "mailbox": { "capacity": 100, "overflow": "drop-oldest" } },
 *     "sync":    { "supervision": { "strategy": "restart", "maxRestarts": 3, "withinMillis": 10000,
 *                                   "backoff": { "minMillis": 100, "maxMillis": 2000, "jitter": 0.2 } } }
 *   }
 * }
 * }</pre>
 * (Comments are shown for explanation; the file itself is plain JSON.) The backoff's three
 * settings are those of {@link SupervisorStrategy#withBackoff}; {@code jitter} may be left out
 * (no jitter). Unknown keys, unknown
 * values and actors that the system does not register are errors that name the file and key.
 *
 * <p>Thread-safe: immutable.
 */
public final class ActorSystemConfig {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ActorSystemConfig EMPTY = new ActorSystemConfig("(defaults)", null, null, null, Map.of());

    private final String source;
    private final Integer throughput;
    private final Integer parallelism;
    private final Duration askTimeout;
    private final Map<String, UnaryOperator<ActorProps>> actors;

    private ActorSystemConfig(
            String source,
            Integer throughput,
            Integer parallelism,
            Duration askTimeout,
            Map<String, UnaryOperator<ActorProps>> actors) {
        this.source = source;
        this.throughput = throughput;
        this.parallelism = parallelism;
        this.askTimeout = askTimeout;
        this.actors = actors;
    }

    /** @return a configuration that changes nothing */
    public static ActorSystemConfig empty() {
        return EMPTY;
    }

    /**
     * Reads a configuration from the classpath.
     *
     * @param resource the resource name, e.g. {@code "ensemble.json"}
     * @return the configuration
     * @throws IllegalArgumentException if the resource is missing or invalid, naming it
     */
    public static ActorSystemConfig fromClasspath(String resource) {
        Objects.requireNonNull(resource, "resource");
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = ActorSystemConfig.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException(
                        "actor system configuration \"" + name + "\" is not on the classpath");
            }
            return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + name);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read actor system configuration \"" + name + "\"", e);
        }
    }

    /**
     * Reads a configuration file.
     *
     * @param file the JSON file
     * @return the configuration
     * @throws IllegalArgumentException if it is invalid, naming the file
     * @throws UncheckedIOException if it cannot be read
     */
    public static ActorSystemConfig fromFile(Path file) {
        try {
            return fromJson(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read actor system configuration " + file, e);
        }
    }

    /**
     * Parses a configuration.
     *
     * @param json the JSON text
     * @param source where it came from, for error messages
     * @return the configuration
     * @throws IllegalArgumentException if it is invalid, naming the source and the key
     */
    public static ActorSystemConfig fromJson(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        Reader reader = new Reader(source);
        reader.object(root, "", Set.of("throughput", "parallelism", "askTimeoutMillis", "actors"));
        Integer throughput = reader.optionalInt(root, "throughput", 1);
        Integer parallelism = reader.optionalInt(root, "parallelism", 1);
        Integer askMillis = reader.optionalInt(root, "askTimeoutMillis", 1);
        Map<String, UnaryOperator<ActorProps>> actors = new LinkedHashMap<>();
        JsonNode actorsNode = root.get("actors");
        if (actorsNode != null) {
            reader.object(actorsNode, "actors", null);
            for (Iterator<Map.Entry<String, JsonNode>> it = actorsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                actors.put(entry.getKey(), reader.actor(entry.getValue(), "actors." + entry.getKey()));
            }
        }
        return new ActorSystemConfig(
                source,
                throughput,
                parallelism,
                askMillis == null ? null : Duration.ofMillis(askMillis),
                Map.copyOf(actors));
    }

    /** @return where this configuration came from */
    public String source() {
        return source;
    }

    Optional<Integer> throughput() {
        return Optional.ofNullable(throughput);
    }

    Optional<Integer> parallelism() {
        return Optional.ofNullable(parallelism);
    }

    Optional<Duration> askTimeout() {
        return Optional.ofNullable(askTimeout);
    }

    Set<String> actorNames() {
        return actors.keySet();
    }

    ActorProps apply(String actor, ActorProps props) {
        UnaryOperator<ActorProps> override = actors.get(actor);
        return override == null ? props : override.apply(props);
    }

    /** Validating reads from the JSON tree; every error names the source and the key path. */
    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        IllegalArgumentException error(String path, String problem) {
            return new IllegalArgumentException(source + ": " + (path.isEmpty() ? "top level" : path) + ": " + problem);
        }

        void object(JsonNode node, String path, Set<String> allowed) {
            if (node == null || !node.isObject()) {
                throw error(path, "expected a JSON object");
            }
            if (allowed != null) {
                for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!allowed.contains(name)) {
                        throw error(
                                path, "unknown key \"" + name + "\" (expected one of " + new TreeSet<>(allowed) + ")");
                    }
                }
            }
        }

        Integer optionalInt(JsonNode parent, String key, int min) {
            JsonNode node = parent.get(key);
            if (node == null) {
                return null;
            }
            if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < min) {
                throw error(key, "expected an integer >= " + min + ", but was " + node);
            }
            return node.intValue();
        }

        double optionalFraction(JsonNode parent, String key, String path) {
            JsonNode node = parent.get(key);
            if (node == null) {
                return 0;
            }
            if (!node.isNumber() || node.doubleValue() < 0 || node.doubleValue() > 1) {
                throw error(path + "." + key, "expected a number from 0 to 1, but was " + node);
            }
            return node.doubleValue();
        }

        String requiredText(JsonNode parent, String key, String path) {
            JsonNode node = parent.get(key);
            if (node == null || !node.isTextual()) {
                throw error(path + "." + key, "expected a string, but was " + node);
            }
            return node.textValue();
        }

        int requiredInt(JsonNode parent, String key, String path, int min) {
            JsonNode node = parent.get(key);
            if (node == null || !node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min) {
                throw error(path + "." + key, "expected an integer >= " + min + ", but was " + node);
            }
            return node.intValue();
        }

        UnaryOperator<ActorProps> actor(JsonNode node, String path) {
            object(node, path, Set.of("dispatcher", "mailbox", "supervision"));
            UnaryOperator<ActorProps> result = UnaryOperator.identity();
            if (node.has("dispatcher")) {
                String name = requiredText(node, "dispatcher", path);
                DispatcherSelector selector;
                try {
                    selector = DispatcherSelector.named(name);
                } catch (IllegalArgumentException e) {
                    throw error(path + ".dispatcher", e.getMessage());
                }
                result = andThen(result, props -> props.withDispatcher(selector));
            }
            if (node.has("mailbox")) {
                MailboxConfig mailbox = mailbox(node.get("mailbox"), path + ".mailbox");
                result = andThen(result, props -> props.withMailbox(mailbox));
            }
            if (node.has("supervision")) {
                SupervisorStrategy strategy = supervision(node.get("supervision"), path + ".supervision");
                result = andThen(result, props -> props.withSupervision(strategy));
            }
            return result;
        }

        private static UnaryOperator<ActorProps> andThen(
                UnaryOperator<ActorProps> first, UnaryOperator<ActorProps> next) {
            return props -> next.apply(first.apply(props));
        }

        MailboxConfig mailbox(JsonNode node, String path) {
            object(node, path, Set.of("capacity", "overflow"));
            if (!node.has("capacity")) {
                return MailboxConfig.unbounded();
            }
            int capacity = requiredInt(node, "capacity", path, 1);
            String overflow = node.has("overflow") ? requiredText(node, "overflow", path) : "fail-sender";
            OverflowPolicy policy = switch (overflow) {
                case "fail-sender" -> OverflowPolicy.FAIL_SENDER;
                case "drop-oldest" -> OverflowPolicy.DROP_OLDEST;
                default ->
                    throw error(
                            path + ".overflow",
                            "expected \"fail-sender\" or \"drop-oldest\", but was \"" + overflow + "\"");
            };
            return MailboxConfig.bounded(capacity, policy);
        }

        SupervisorStrategy supervision(JsonNode node, String path) {
            object(node, path, Set.of("strategy", "maxRestarts", "withinMillis", "backoff"));
            String kind = node.has("strategy") ? requiredText(node, "strategy", path) : "restart";
            SupervisorStrategy strategy = switch (kind) {
                case "restart" -> SupervisorStrategy.restart();
                case "stop" -> SupervisorStrategy.stop();
                default ->
                    throw error(path + ".strategy", "expected \"restart\" or \"stop\", but was \"" + kind + "\"");
            };
            int max = node.has("maxRestarts") ? requiredInt(node, "maxRestarts", path, 0) : strategy.maxRestarts();
            Duration within = node.has("withinMillis")
                    ? Duration.ofMillis(requiredInt(node, "withinMillis", path, 1))
                    : strategy.within();
            strategy = strategy.withLimit(max, within);
            JsonNode backoff = node.get("backoff");
            if (backoff != null) {
                String at = path + ".backoff";
                object(backoff, at, Set.of("minMillis", "maxMillis", "jitter"));
                int min = requiredInt(backoff, "minMillis", at, 0);
                int maxDelay = requiredInt(backoff, "maxMillis", at, min);
                strategy = strategy.withBackoff(
                        Duration.ofMillis(min), Duration.ofMillis(maxDelay), optionalFraction(backoff, "jitter", at));
            }
            return strategy;
        }
    }
}
