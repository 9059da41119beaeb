package dev.ensemble.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.core.supervision.SupervisorSpec;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
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
 *   "inspect": "read",              // the local inspection socket: "off", "read" or "write"
 *   "actors": {
 *     "audio":   { "dispatcher": "dedicated" },
 *     "cursors": { "mailbox": { "capacity": 100, "overflow": "drop-oldest" } },
 *     "sync":    { "supervision": { "strategy": "restart", "maxRestarts": 3, "withinMillis": 10000,
 *                                   "backoff": { "minMillis": 100, "maxMillis": 2000, "jitter": 0.2 } } },
 *     "counter": { "node": "counter-host" }   // runs on another node (see "Placement" below)
 *   },
 *   "nodes": { "counter-host": "did:key:z6Mk..." }
 * }
 * }</pre>
 * (Comments are shown for explanation; the file itself is plain JSON.) The backoff's three
 * settings are those of {@link SupervisorStrategy#withBackoff}; {@code jitter} may be left out
 * (no jitter). Unknown keys, unknown
 * values and actors that the system does not register are errors that name the file and key.
 *
 * <p><b>Placement.</b> An actor whose entry is {@code {"node": NODE}} runs on another node: this
 * system does not start it (even if code registers it), and {@link ActorSystem#client} returns a
 * client from the remote layer attached with {@link ActorSystem#attachRemote}, with the same API.
 * {@code NODE} is a {@code did:key}, or a name from the top-level {@code "nodes"} object, which maps
 * names to {@code did:key}s so that a deployment names each node once. A placed actor takes no other
 * key here (its node configures it): an error naming the key. A local actor may depend on a placed
 * one when the builder starts a remote layer first ({@link ActorSystem.Builder#remote}): it then
 * receives the remote client as its dependency; without one, or in a dependency cycle through the
 * placed actor, the start fails naming the actors (docs/REMOTE.md, "Placement").
 *
 * <p>A {@code "supervisors"} array describes supervision trees: supervisors with their strategy,
 * intensity and routes, and their children (workers, supervisors, pools with resizers), each actor
 * made by a factory registered with {@link ActorSystem.Builder#factory}. Its shape is checked when
 * the file is loaded, its factory names when the system starts; every error names the file, the
 * JSON path ({@code supervisors[0].children[2].resizer.upper}) and what was expected. The format,
 * with a complete example, is in docs/SUPERVISION.md.
 *
 * <p>Thread-safe: immutable.
 */
public final class ActorSystemConfig {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Node addresses are DIDs; core checks no more than this prefix (the remote layer parses them). */
    private static final String DID_PREFIX = "did:";

    private static final ActorSystemConfig EMPTY =
            new ActorSystemConfig("(defaults)", null, null, null, null, Map.of(), null, Map.of());

    private final String source;
    private final Integer throughput;
    private final Integer parallelism;
    private final Duration askTimeout;
    /** The "inspect" key: the local socket's access, null for "off"; unused unless {@link #inspectGiven}. */
    private final InspectionAccess inspect;

    private final boolean inspectGiven;
    private final Map<String, UnaryOperator<ActorProps>> actors;
    /** The "supervisors" section, checked when loaded, read into specs when the system starts; may be null. */
    private final JsonNode supervisors;
    /** Actor name to the node it runs on (resolved through "nodes"). */
    private final Map<String, String> placements;

    private ActorSystemConfig(
            String source,
            Integer throughput,
            Integer parallelism,
            Duration askTimeout,
            Inspect inspect,
            Map<String, UnaryOperator<ActorProps>> actors,
            JsonNode supervisors,
            Map<String, String> placements) {
        this.inspectGiven = inspect != null;
        this.inspect = inspect == null ? null : inspect.access();
        this.source = source;
        this.placements = placements;
        this.supervisors = supervisors;
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
        ConfigReader reader = new ConfigReader(source);
        reader.object(
                root,
                "",
                Set.of("throughput", "parallelism", "askTimeoutMillis", "inspect", "actors", "supervisors", "nodes"));
        Integer throughput = reader.optionalInt(root, "throughput", 1);
        Integer parallelism = reader.optionalInt(root, "parallelism", 1);
        Integer askMillis = reader.optionalInt(root, "askTimeoutMillis", 1);
        Inspect inspect = inspect(reader, root);
        Map<String, String> nodes = nodes(reader, root.get("nodes"));
        Map<String, UnaryOperator<ActorProps>> actors = new LinkedHashMap<>();
        Map<String, String> placements = new LinkedHashMap<>();
        JsonNode actorsNode = root.get("actors");
        if (actorsNode != null) {
            reader.object(actorsNode, "actors", null);
            for (Iterator<Map.Entry<String, JsonNode>> it = actorsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String path = "actors." + entry.getKey();
                if (entry.getValue().isObject() && entry.getValue().has("node")) {
                    for (Iterator<String> keys = entry.getValue().fieldNames(); keys.hasNext(); ) {
                        String key = keys.next();
                        if (!key.equals("node")) {
                            throw reader.error(
                                    path + "." + key,
                                    "an actor placed on another node takes no other key here (its own node"
                                            + " configures its dispatcher, mailbox and supervision): remove it, or"
                                            + " remove \"node\" to run the actor here");
                        }
                    }
                    placements.put(entry.getKey(), node(reader, entry.getValue(), path, nodes));
                } else {
                    actors.put(entry.getKey(), reader.actor(entry.getValue(), path));
                }
            }
        }
        JsonNode supervisors = root.get("supervisors");
        if (supervisors != null) {
            new TreeConfigReader(reader, TreeConfigReader::anyFactory).supervisors(supervisors, "supervisors");
        }
        return new ActorSystemConfig(
                source,
                throughput,
                parallelism,
                askMillis == null ? null : Duration.ofMillis(askMillis),
                inspect,
                Map.copyOf(actors),
                supervisors == null ? null : supervisors.deepCopy(),
                Map.copyOf(placements));
    }

    /** The "inspect" key as read: {@code access} null for "off". */
    private record Inspect(InspectionAccess access) {}

    /** @return null if the file does not say */
    private static Inspect inspect(ConfigReader reader, JsonNode root) {
        JsonNode node = root.get("inspect");
        if (node == null) {
            return null;
        }
        String value = node.isTextual() ? node.asText() : "";
        switch (value) {
            case "off":
                return new Inspect(null);
            case "read":
                return new Inspect(InspectionAccess.READ);
            case "write":
                return new Inspect(InspectionAccess.WRITE);
            default:
                break;
        }
        throw reader.error("inspect", "expected \"off\", \"read\" or \"write\", but was " + node);
    }

    private static Map<String, String> nodes(ConfigReader reader, JsonNode node) {
        Map<String, String> nodes = new LinkedHashMap<>();
        if (node == null) {
            return nodes;
        }
        reader.object(node, "nodes", null);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String address = reader.requiredText(node, entry.getKey(), "nodes");
            if (!address.startsWith(DID_PREFIX)) {
                throw reader.error(
                        "nodes." + entry.getKey(),
                        "expected a node address (\"did:key:z6Mk...\"), but was \"" + address + "\"");
            }
            nodes.put(entry.getKey(), address);
        }
        return nodes;
    }

    private static String node(ConfigReader reader, JsonNode actor, String path, Map<String, String> nodes) {
        String node = reader.requiredText(actor, "node", path);
        if (nodes.containsKey(node)) {
            return nodes.get(node);
        }
        if (node.startsWith(DID_PREFIX)) {
            return node;
        }
        throw reader.error(
                path + ".node",
                "\"" + node + "\" is neither a node address (\"did:key:...\") nor a node named in \"nodes\" (named: "
                        + nodes.keySet() + ")");
    }

    /**
     * The actors this configuration places on other nodes. Thread-safe: immutable.
     *
     * @return actor name to the node it runs on, names from {@code "nodes"} already resolved
     */
    public Map<String, String> placements() {
        return placements;
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

    /**
     * @param fallback what code asked for
     * @return the access of the local inspection socket, the file's if it says, else {@code
     *     fallback}; null for off
     */
    InspectionAccess inspect(InspectionAccess fallback) {
        return inspectGiven ? inspect : fallback;
    }

    /**
     * @param factories the factories registered with the builder, by name
     * @return the supervision trees this file describes; empty if none
     * @throws IllegalArgumentException naming the file, the JSON path and what was expected
     */
    List<SupervisorSpec> supervisors(Function<String, ConfiguredFactory<?>> factories) {
        if (supervisors == null) {
            return List.of();
        }
        return new TreeConfigReader(new ConfigReader(source), factories).supervisors(supervisors, "supervisors");
    }

    Set<String> actorNames() {
        return actors.keySet();
    }

    ActorProps apply(String actor, ActorProps props) {
        UnaryOperator<ActorProps> override = actors.get(actor);
        return override == null ? props : override.apply(props);
    }
}
