package dev.ensemble.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which the actors registered with a builder start: every actor after the actors it
 * depends on. Checks the registrations first and reports every problem at once: an actor
 * registered twice, a missing dependency or one offering other actions, a dependency cycle, a
 * configured actor that is not registered.
 *
 * <p>Threading: a static function; the builder's thread.
 */
final class StartOrder {
    private StartOrder() {}

    /**
     * @param system the system's name, for the error
     * @param registrations in registration order
     * @param config the configuration, whose actor names must be registered
     * @param remoteLayer whether a remote layer starts before the actors ({@link ActorSystem.Builder#remote}),
     *     so that a local actor may depend on one that the configuration places on another node
     * @return the registrations in dependency order, each once
     * @throws ActorSystemException naming every problem found
     */
    static List<Registration<?>> of(
            String system, List<Registration<?>> registrations, ActorSystemConfig config, boolean remoteLayer) {
        List<String> problems = new ArrayList<>();
        Map<String, Registration<?>> byName = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, String> placed = config.placements();
        // Placed actors are not started here, but the dependencies code declares for them still
        // count for cycles: the graph is the same on every node, whichever runs what.
        Map<String, Registration<?>> graph = new LinkedHashMap<>();
        for (Registration<?> registration : registrations) {
            graph.putIfAbsent(registration.token().name(), registration);
            if (placed.containsKey(registration.token().name())) {
                continue; // runs on another node: not started here
            }
            counts.merge(registration.token().name(), 1, Integer::sum);
            byName.putIfAbsent(registration.token().name(), registration);
        }
        counts.forEach((actor, count) -> {
            if (count > 1) {
                problems.add("duplicate actor \"" + actor + "\": registered " + count + " times");
            }
        });
        for (Registration<?> registration : byName.values()) {
            for (ActorToken<?, ?> dependency : registration.dependencies()) {
                Registration<?> target = byName.get(dependency.name());
                if (placed.containsKey(dependency.name())) {
                    if (!remoteLayer) {
                        problems.add("actor \"" + registration.token().name() + "\" depends on \"" + dependency.name()
                                + "\", which " + config.source() + " places on node " + placed.get(dependency.name())
                                + ", but the builder has no remote layer to reach it: give it one with"
                                + " Builder.remote (ensemble-remote: system -> RemoteActors.builder(system,"
                                + " transport).start()), which starts before the actors");
                    }
                } else if (target == null) {
                    problems.add("actor \"" + registration.token().name() + "\" depends on \"" + dependency.name()
                            + "\", which is not registered");
                } else if (target.token().actions() != dependency.actions()) {
                    problems.add("actor \"" + registration.token().name() + "\" depends on \"" + dependency.name()
                            + "\" as " + dependency.actions().getName() + ", but it offers "
                            + target.token().actions().getName());
                }
            }
        }
        for (String configured : config.actorNames()) {
            if (!byName.containsKey(configured)) {
                problems.add(config.source() + " configures actor \"" + configured
                        + "\", which is not registered (registered: " + byName.keySet() + ")");
            }
        }
        List<Registration<?>> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        Set<String> cycles = new LinkedHashSet<>();
        for (Registration<?> registration : byName.values()) {
            visit(registration, graph, placed, config.source(), done, new ArrayDeque<>(), order, cycles);
        }
        problems.addAll(cycles);
        if (!problems.isEmpty()) {
            throw new ActorSystemException(
                    "cannot start actor system \"" + system + "\": " + String.join("; ", problems));
        }
        return order;
    }

    /**
     * Depth-first topological sort; a back edge is reported as the cycle it closes. Placed actors
     * are visited for cycles but not ordered (they do not start here).
     */
    private static void visit(
            Registration<?> registration,
            Map<String, Registration<?>> byName,
            Map<String, String> placed,
            String source,
            Set<String> done,
            Deque<String> path,
            List<Registration<?>> order,
            Set<String> cycles) {
        String actor = registration.token().name();
        if (done.contains(actor)) {
            return;
        }
        if (path.contains(actor)) {
            List<String> cycle = new ArrayList<>();
            boolean inCycle = false;
            for (String step : path) {
                inCycle |= step.equals(actor);
                if (inCycle) {
                    cycle.add(described(step, placed, source));
                }
            }
            cycle.add(described(actor, placed, source));
            cycles.add("dependency cycle: " + String.join(" -> ", cycle));
            return;
        }
        path.addLast(actor);
        for (ActorToken<?, ?> dependency : registration.dependencies()) {
            Registration<?> target = byName.get(dependency.name());
            if (target != null) {
                visit(target, byName, placed, source, done, path, order, cycles);
            }
        }
        path.removeLast();
        if (done.add(actor) && !placed.containsKey(actor)) {
            order.add(registration);
        }
    }

    private static String described(String actor, Map<String, String> placed, String source) {
        String node = placed.get(actor);
        return node == null ? actor : actor + " (placed on node " + node + " by " + source + ")";
    }
}
