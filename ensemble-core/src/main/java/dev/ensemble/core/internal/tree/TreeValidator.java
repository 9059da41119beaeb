package dev.ensemble.core.internal.tree;

import dev.ensemble.core.ActorToken;
import dev.ensemble.core.bus.BusReceiver;
import dev.ensemble.core.bus.Route;
import dev.ensemble.core.supervision.ChildSpec;
import dev.ensemble.core.supervision.PoolSpec;
import dev.ensemble.core.supervision.SupervisorSpec;
import dev.ensemble.core.supervision.WorkerSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * INTERNAL API: checks trees before anything is made: names, dependencies, handlers, routes
 * and routing cycles. Every problem is reported, each naming the path and what was expected.
 *
 * <p>Threading: confined to the thread that builds the system.
 */
final class TreeValidator {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final Set<String> rootActors;
    private final List<String> problems = new ArrayList<>();
    /** Every supervisor by path, with its spec. */
    private final Map<String, SupervisorSpec> namespaces = new LinkedHashMap<>();

    TreeValidator(Set<String> rootActors) {
        this.rootActors = rootActors;
    }

    List<String> validate(List<SupervisorSpec> trees) {
        Set<String> topNames = new HashSet<>();
        for (SupervisorSpec tree : trees) {
            if (!topNames.add(tree.name())) {
                problems.add("two supervisors named \"" + tree.name() + "\" at the system's root");
            }
            if (rootActors.contains(tree.name())) {
                problems.add("supervisor /" + tree.name() + " has the name of an actor of the system's root");
            }
            collect(tree, "/" + tree.name());
        }
        for (Map.Entry<String, SupervisorSpec> namespace : namespaces.entrySet()) {
            checkRoutes(namespace.getKey(), namespace.getValue());
        }
        findCycles();
        return problems;
    }

    /**
     * Checks a worker added to a running supervisor.
     *
     * @param worker the worker
     * @param path its path
     * @param siblings the names of the supervisor's children now
     * @param workerSiblings the names of those that are workers, which it may depend on
     * @return every problem found
     */
    List<String> validateAdded(WorkerSpec<?> worker, String path, Set<String> siblings, Set<String> workerSiblings) {
        checkName(worker.name(), path);
        if (siblings.contains(worker.name())) {
            problems.add(path + ": its supervisor already has a child named \"" + worker.name() + "\"");
        }
        checkWorker(worker, path, workerSiblings);
        return problems;
    }

    private void collect(SupervisorSpec supervisor, String path) {
        checkName(supervisor.name(), path);
        namespaces.put(path, supervisor);
        Set<String> siblings = new HashSet<>();
        // Workers only: a worker may depend on an earlier worker, not on a pool or a supervisor.
        Set<String> earlier = new HashSet<>();
        for (ChildSpec child : supervisor.children()) {
            String childPath = path + "/" + child.name();
            if (!siblings.add(child.name())) {
                problems.add(path + " has two children named \"" + child.name() + "\"");
            }
            if (child instanceof SupervisorSpec nested) {
                collect(nested, childPath);
            } else if (child instanceof WorkerSpec<?> worker) {
                checkName(worker.name(), childPath);
                checkWorker(worker, childPath, earlier);
                earlier.add(child.name());
            } else if (child instanceof PoolSpec<?> pool) {
                checkName(pool.name(), childPath);
                checkHandler(pool.handles(), pool.token(), childPath);
            }
        }
    }

    private void checkName(String name, String path) {
        if (!SEGMENT.matcher(name).matches()) {
            problems.add(path + ": a name must be 1-128 letters, digits and . _ : - starting with a letter or"
                    + " digit, but was \"" + name + "\"");
        }
    }

    private void checkWorker(WorkerSpec<?> worker, String path, Set<String> earlierSiblings) {
        for (ActorToken<?, ?> dependency : worker.dependencies()) {
            if (!earlierSiblings.contains(dependency.name()) && !rootActors.contains(dependency.name())) {
                problems.add(path + " depends on \"" + dependency.name() + "\", which is neither an earlier sibling"
                        + " nor an actor of the system's root");
            }
        }
        checkHandler(worker.handles(), worker.token(), path);
    }

    private void checkHandler(Set<String> handles, ActorToken<?, ?> token, String path) {
        if (!handles.isEmpty() && !BusReceiver.class.isAssignableFrom(token.actions())) {
            problems.add(path + " handles " + handles + " but its actions interface "
                    + token.actions().getName() + " does not extend " + BusReceiver.class.getName());
        }
    }

    private void checkRoutes(String path, SupervisorSpec supervisor) {
        Set<String> children = new HashSet<>();
        supervisor.children().forEach(child -> children.add(child.name()));
        supervisor.routes().routes().forEach((name, routes) -> {
            for (Route route : routes) {
                if (route instanceof Route.ToChild toChild && !children.contains(toChild.child())) {
                    problems.add(path + " routes \"" + name + "\" to child \"" + toChild.child()
                            + "\", which it does not have (children: " + children + ")");
                } else if (route instanceof Route.Forward forward && !namespaces.containsKey(forward.namespace())) {
                    problems.add(path + " forwards \"" + name + "\" to namespace " + forward.namespace()
                            + ", which is no supervisor's path (namespaces: " + namespaces.keySet() + ")");
                }
            }
        });
    }

    /** A message at (namespace, name) that comes back to the same pair would be routed forever. */
    private void findCycles() {
        Set<String> done = new HashSet<>();
        Set<String> reported = new LinkedHashSet<>();
        for (Map.Entry<String, SupervisorSpec> namespace : namespaces.entrySet()) {
            for (String name : namespace.getValue().routes().routes().keySet()) {
                visit(namespace.getKey(), name, done, new ArrayDeque<>(), reported);
            }
        }
        problems.addAll(reported);
    }

    private void visit(String namespace, String name, Set<String> done, Deque<String> trail, Set<String> reported) {
        String node = namespace + " \"" + name + "\"";
        if (done.contains(node)) {
            return;
        }
        if (trail.contains(node)) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (String step : trail) {
                in |= step.equals(node);
                if (in) {
                    cycle.add(step);
                }
            }
            cycle.add(node);
            reported.add("routing cycle: " + String.join(" -> ", cycle));
            return;
        }
        SupervisorSpec supervisor = namespaces.get(namespace);
        if (supervisor == null) {
            return;
        }
        trail.addLast(node);
        for (Route route : supervisor.routes().routesFor(name)) {
            if (route instanceof Route.Forward forward) {
                visit(forward.namespace(), forward.name(), done, trail, reported);
            } else if (route instanceof Route.ToChild toChild) {
                visit(namespace + "/" + toChild.child(), name, done, trail, reported);
            }
        }
        trail.removeLast();
        done.add(node);
    }
}
