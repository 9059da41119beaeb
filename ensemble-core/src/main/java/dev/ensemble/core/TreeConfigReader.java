package dev.ensemble.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.core.bus.BusReceiver;
import dev.ensemble.core.bus.Route;
import dev.ensemble.core.bus.RoutingTable;
import dev.ensemble.core.supervision.ChildSpec;
import dev.ensemble.core.supervision.PoolRouting;
import dev.ensemble.core.supervision.PoolSpec;
import dev.ensemble.core.supervision.ResizerSpec;
import dev.ensemble.core.supervision.RestartStrategy;
import dev.ensemble.core.supervision.SupervisorSpec;
import dev.ensemble.core.supervision.SupervisorStrategy;
import dev.ensemble.core.supervision.WorkerSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the {@code "supervisors"} section of a configuration into {@link SupervisorSpec}s. Every
 * error names the source, the JSON path ({@code supervisors[0].children[2].resizer.upper}) and
 * what was expected. Factories are looked up by name through {@code factories}: the
 * configuration is read once when loaded, with every name accepted, so that its shape is checked
 * early, and again when the system starts, with the factories the builder registered.
 */
final class TreeConfigReader {
    private static final Set<String> SUPERVISOR_KEYS =
            Set.of("supervisor", "name", "strategy", "maxRestarts", "withinMillis", "backoff", "children", "routes");
    private static final Set<String> WORKER_KEYS =
            Set.of("worker", "factory", "dependsOn", "handles", "dispatcher", "mailbox");
    private static final Set<String> POOL_KEYS = Set.of(
            "pool",
            "factory",
            "size",
            "routing",
            "resizer",
            "handles",
            "maxRestarts",
            "withinMillis",
            "backoff",
            "dispatcher",
            "mailbox");
    private static final Set<String> RESIZER_KEYS = Set.of(
            "lower",
            "upper",
            "periodMillis",
            "windowMillis",
            "cooldownMillis",
            "busyBelow",
            "shrinkAfterMillis",
            "arrivalThreshold");

    private final ConfigReader reader;
    private final Function<String, ConfiguredFactory<?>> factories;

    /**
     * @param reader reads values, naming the source in its errors
     * @param factories a factory by name, or null if none has the name
     */
    TreeConfigReader(ConfigReader reader, Function<String, ConfiguredFactory<?>> factories) {
        this.reader = reader;
        this.factories = factories;
    }

    /** A lookup that accepts every name, for checking a file's shape before any factory exists. */
    static ConfiguredFactory<?> anyFactory(String name) {
        return new ConfiguredFactory<>(BusReceiver.class, Object.class, () -> {
            throw new IllegalStateException("factory \"" + name + "\" used before it was registered");
        });
    }

    List<SupervisorSpec> supervisors(JsonNode node, String path) {
        if (!node.isArray()) {
            throw reader.error(path, "expected an array of supervisors, but was " + node);
        }
        List<SupervisorSpec> result = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            result.add(supervisor(node.get(i), path + "[" + i + "]", "name"));
        }
        return result;
    }

    private SupervisorSpec supervisor(JsonNode node, String path, String nameKey) {
        reader.object(node, path, without(SUPERVISOR_KEYS, nameKey.equals("name") ? "supervisor" : "name"));
        String name = reader.requiredText(node, nameKey, path);
        String strategyName = node.has("strategy") ? reader.requiredText(node, "strategy", path) : "one-for-one";
        RestartStrategy strategy = switch (strategyName) {
            case "one-for-one" -> RestartStrategy.ONE_FOR_ONE;
            case "one-for-all" -> RestartStrategy.ONE_FOR_ALL;
            case "rest-for-one" -> RestartStrategy.REST_FOR_ONE;
            default ->
                throw reader.error(
                        path + ".strategy",
                        "expected \"one-for-one\", \"one-for-all\" or \"rest-for-one\", but was \"" + strategyName
                                + "\"");
        };
        SupervisorSpec spec = SupervisorSpec.of(name, strategy).withLimits(limits(node, path));
        JsonNode children = node.get("children");
        if (children != null) {
            if (!children.isArray()) {
                throw reader.error(path + ".children", "expected an array of children, but was " + children);
            }
            Map<String, ActorToken<?, ?>> earlier = new HashMap<>();
            for (int i = 0; i < children.size(); i++) {
                ChildSpec child = child(children.get(i), path + ".children[" + i + "]", earlier);
                if (child instanceof WorkerSpec<?> worker) {
                    earlier.put(worker.name(), worker.token());
                }
                spec = spec.child(child);
            }
        }
        if (node.has("routes")) {
            spec = spec.withRoutes(routes(node.get("routes"), path + ".routes"));
        }
        return spec;
    }

    private ChildSpec child(JsonNode node, String path, Map<String, ActorToken<?, ?>> earlier) {
        reader.object(node, path, null);
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of("worker", "supervisor", "pool")) {
            if (node.has(kind)) {
                kinds.add(kind);
            }
        }
        if (kinds.size() != 1) {
            throw reader.error(
                    path,
                    "expected exactly one of \"worker\", \"supervisor\" or \"pool\" naming the child, but found "
                            + kinds);
        }
        return switch (kinds.get(0)) {
            case "worker" -> worker(node, path, earlier);
            case "supervisor" -> supervisor(node, path, "supervisor");
            default -> pool(node, path);
        };
    }

    private WorkerSpec<?> worker(JsonNode node, String path, Map<String, ActorToken<?, ?>> earlier) {
        reader.object(node, path, WORKER_KEYS);
        String name = reader.requiredText(node, "worker", path);
        ConfiguredFactory<?> factory = factory(node, path);
        WorkerSpec<?> worker = worker(factory, tokenName(name, path + ".worker"));
        ActorProps props = reader.actor(propsOnly(node), path).apply(ActorProps.defaults());
        List<ActorToken<?, ?>> dependencies = new ArrayList<>();
        for (String dependency : strings(node, "dependsOn", path)) {
            ActorToken<?, ?> sibling = earlier.get(dependency);
            dependencies.add(sibling != null ? sibling : ActorToken.of(dependency, BusReceiver.class, Object.class));
        }
        return worker.withProps(props)
                .dependsOn(dependencies.toArray(ActorToken<?, ?>[]::new))
                .handling(strings(node, "handles", path).toArray(String[]::new));
    }

    private static <S> WorkerSpec<S> worker(ConfiguredFactory<S> factory, String name) {
        return WorkerSpec.of(factory.token(name), factory.supplier());
    }

    private PoolSpec<?> pool(JsonNode node, String path) {
        reader.object(node, path, POOL_KEYS);
        String name = reader.requiredText(node, "pool", path);
        ConfiguredFactory<?> factory = factory(node, path);
        int size = node.has("size") ? reader.requiredInt(node, "size", path, 1) : 1;
        PoolSpec<?> pool = pool(factory, tokenName(name, path + ".pool"), size);
        pool = pool.withProps(reader.actor(propsOnly(node), path).apply(ActorProps.defaults()))
                .withLimits(limits(node, path))
                .handling(strings(node, "handles", path).toArray(String[]::new));
        if (node.has("routing")) {
            String routing = reader.requiredText(node, "routing", path);
            pool = pool.withRouting(
                    switch (routing) {
                        case "round-robin" -> PoolRouting.ROUND_ROBIN;
                        case "smallest-mailbox" -> PoolRouting.SMALLEST_MAILBOX;
                        case "consistent-hash" -> PoolRouting.CONSISTENT_HASH;
                        default ->
                            throw reader.error(
                                    path + ".routing",
                                    "expected \"round-robin\", \"smallest-mailbox\" or \"consistent-hash\", but was \""
                                            + routing + "\"");
                    });
        }
        if (node.has("resizer")) {
            ResizerSpec resizer = resizer(node.get("resizer"), path + ".resizer");
            if (node.has("size") && (size < resizer.lower() || size > resizer.upper())) {
                throw reader.error(
                        path + ".size",
                        "expected a size within the resizer's bounds " + resizer.lower() + ".." + resizer.upper()
                                + ", but was " + size);
            }
            pool = pool.withResizer(resizer);
        }
        return pool;
    }

    private static <S> PoolSpec<S> pool(ConfiguredFactory<S> factory, String name, int size) {
        return PoolSpec.of(factory.token(name), factory.supplier(), size);
    }

    private ResizerSpec resizer(JsonNode node, String path) {
        reader.object(node, path, RESIZER_KEYS);
        int lower = reader.requiredInt(node, "lower", path, 1);
        int upper = reader.requiredInt(node, "upper", path, 1);
        if (upper < lower) {
            throw reader.error(
                    path + ".upper", "expected an upper bound >= the lower bound " + lower + ", but was " + upper);
        }
        ResizerSpec spec = ResizerSpec.between(lower, upper);
        Duration period = millis(node, "periodMillis", path, 1, spec.period());
        Duration window = millis(node, "windowMillis", path, 1, spec.window());
        if (window.compareTo(period) < 0) {
            throw reader.error(
                    path + ".windowMillis",
                    "expected a window of at least the period (" + period.toMillis() + " ms), but was "
                            + window.toMillis());
        }
        spec = spec.withTiming(period, window, millis(node, "cooldownMillis", path, 0, spec.cooldown()));
        Duration shrinkAfter = millis(node, "shrinkAfterMillis", path, 1, spec.shrinkAfter());
        if (shrinkAfter.compareTo(period) < 0) {
            throw reader.error(
                    path + ".shrinkAfterMillis",
                    "expected at least the period (" + period.toMillis() + " ms), but was " + shrinkAfter.toMillis());
        }
        spec = spec.withShrinkAfter(shrinkAfter);
        if (node.has("busyBelow")) {
            JsonNode busy = node.get("busyBelow");
            if (!busy.isNumber() || busy.doubleValue() <= 0 || busy.doubleValue() > 1) {
                throw reader.error(path + ".busyBelow", "expected a number in (0, 1], but was " + busy);
            }
            spec = spec.withBusyBelow(busy.doubleValue());
        }
        if (node.has("arrivalThreshold")) {
            spec = spec.withArrivalThreshold(reader.requiredInt(node, "arrivalThreshold", path, 0));
        }
        return spec;
    }

    private Duration millis(JsonNode node, String key, String path, int min, Duration otherwise) {
        return node.has(key) ? Duration.ofMillis(reader.requiredInt(node, key, path, min)) : otherwise;
    }

    private RoutingTable routes(JsonNode node, String path) {
        reader.object(node, path, null);
        RoutingTable table = RoutingTable.empty();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String at = path + "." + entry.getKey();
            if (!entry.getValue().isArray()) {
                throw reader.error(at, "expected an array of routes, but was " + entry.getValue());
            }
            for (int i = 0; i < entry.getValue().size(); i++) {
                table = table.with(entry.getKey(), route(entry.getValue().get(i), at + "[" + i + "]"));
            }
        }
        return table;
    }

    private Route route(JsonNode node, String path) {
        reader.object(node, path, Set.of("child", "forward", "as"));
        if (node.has("child") == node.has("forward")) {
            throw reader.error(
                    path, "expected either {\"child\": name} or {\"forward\": \"/namespace\", \"as\": name}");
        }
        if (node.has("child")) {
            if (node.has("as")) {
                throw reader.error(path + ".as", "a route to a child keeps the message's name; remove \"as\"");
            }
            return new Route.ToChild(reader.requiredText(node, "child", path));
        }
        String namespace = reader.requiredText(node, "forward", path);
        if (!namespace.startsWith("/")) {
            throw reader.error(
                    path + ".forward",
                    "expected an absolute namespace path like \"/file\", but was \"" + namespace + "\"");
        }
        return new Route.Forward(namespace, reader.requiredText(node, "as", path));
    }

    private SupervisorStrategy limits(JsonNode node, String path) {
        ObjectNode supervision = JsonNodeFactory.instance.objectNode();
        for (String key : List.of("maxRestarts", "withinMillis", "backoff")) {
            if (node.has(key)) {
                supervision.set(key, node.get(key));
            }
        }
        return reader.supervision(supervision, path);
    }

    private ConfiguredFactory<?> factory(JsonNode node, String path) {
        String name = reader.requiredText(node, "factory", path);
        ConfiguredFactory<?> factory = factories.apply(name);
        if (factory == null) {
            throw reader.error(
                    path + ".factory",
                    "no factory is registered as \"" + name + "\": register it with ActorSystem.Builder.factory");
        }
        return factory;
    }

    private String tokenName(String name, String path) {
        try {
            ActorToken.of(name, BusReceiver.class, Object.class);
            return name;
        } catch (IllegalArgumentException e) {
            throw reader.error(path, e.getMessage());
        }
    }

    private List<String> strings(JsonNode node, String key, String path) {
        JsonNode array = node.get(key);
        if (array == null) {
            return List.of();
        }
        Set<String> values = new LinkedHashSet<>();
        if (array.isArray()) {
            for (JsonNode value : array) {
                if (!value.isTextual()) {
                    throw reader.error(path + "." + key, "expected an array of strings, but found " + value);
                }
                values.add(value.textValue());
            }
            return List.copyOf(values);
        }
        throw reader.error(path + "." + key, "expected an array of strings, but was " + array);
    }

    /** The dispatcher and mailbox keys of a worker or pool, read as today's per-actor settings. */
    private static JsonNode propsOnly(JsonNode node) {
        ObjectNode props = JsonNodeFactory.instance.objectNode();
        for (String key : List.of("dispatcher", "mailbox")) {
            if (node.has(key)) {
                props.set(key, node.get(key));
            }
        }
        return props;
    }

    private static Set<String> without(Set<String> keys, String removed) {
        Set<String> copy = new LinkedHashSet<>(keys);
        copy.remove(removed);
        return copy;
    }
}
