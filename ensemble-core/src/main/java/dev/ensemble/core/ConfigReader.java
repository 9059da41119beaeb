package dev.ensemble.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.core.mailbox.MailboxConfig;
import dev.ensemble.core.mailbox.OverflowPolicy;
import dev.ensemble.core.supervision.SupervisorStrategy;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** Validating reads from the JSON tree; every error names the source and the key path. */
final class ConfigReader {
    private final String source;

    ConfigReader(String source) {
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
                    throw error(path, "unknown key \"" + name + "\" (expected one of " + new TreeSet<>(allowed) + ")");
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

    private static UnaryOperator<ActorProps> andThen(UnaryOperator<ActorProps> first, UnaryOperator<ActorProps> next) {
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
            default -> throw error(path + ".strategy", "expected \"restart\" or \"stop\", but was \"" + kind + "\"");
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
