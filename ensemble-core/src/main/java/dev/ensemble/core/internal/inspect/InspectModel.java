package dev.ensemble.core.internal.inspect;

import dev.ensemble.core.inspect.InspectableNamespace;
import dev.ensemble.core.internal.cell.ActorCell;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * INTERNAL API: a snapshot of the inspected tree, made per request: every actor (by its path),
 * supervisor, pool and mounted namespace, with the missing ancestors of a path as plain
 * namespaces. Immutable once made; cheap for systems of thousands of actors (one map insert each).
 */
public final class InspectModel {
    /** What a path names. */
    public enum Kind {
        ACTOR("actor"),
        SUPERVISOR("supervisor"),
        POOL("pool"),
        NAMESPACE("namespace");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        /** @return the protocol's name */
        public String wire() {
            return wire;
        }
    }

    /**
     * One path of the tree.
     *
     * @param cell the actor's cell, for kind actor
     * @param namespace the mounted namespace, or null (also for the namespaces between mounts)
     * @param mount the mounted system the node belongs to, or null for the inspected system's own
     *     (and for plain namespaces)
     * @param children sorted by name
     */
    public record Node(
            String name,
            String path,
            Kind kind,
            ActorCell<?> cell,
            InspectableNamespace namespace,
            MountedSystem mount,
            List<Node> children) {}

    private final Map<String, Node> nodes;

    private InspectModel(Map<String, Node> nodes) {
        this.nodes = nodes;
    }

    /**
     * @param system what to list
     * @param mounts namespaces by mount path
     * @return the snapshot
     */
    public static InspectModel of(InspectedSystem system, Map<String, InspectableNamespace> mounts) {
        return of(system, mounts, List.of());
    }

    /**
     * @param system what to list
     * @param mounts namespaces by mount path
     * @param systems other systems mounted into it (nested ones included, each with its full
     *     prefix), whose trees appear under their prefixes
     * @return the snapshot
     */
    static InspectModel of(
            InspectedSystem system, Map<String, InspectableNamespace> mounts, List<MountedSystem> systems) {
        Map<String, Draft> drafts = new TreeMap<>();
        drafts.put("/", new Draft("/", Kind.NAMESPACE, null, null, null));
        mounts.forEach((path, namespace) -> addNamespace(drafts, path, namespace));
        addSystem(drafts, "", system, null);
        for (MountedSystem mounted : systems) {
            String prefix = mounted.prefix();
            // The mount point is the mounted system's root: a namespace that names the system.
            drafts.put(prefix, new Draft(prefix, Kind.NAMESPACE, null, mounted, null));
            addMissingParents(drafts, prefix);
            mounted.engine()
                    .namespaceMounts()
                    .forEach((path, namespace) -> addNamespace(drafts, prefix + path, namespace));
            addSystem(drafts, prefix, mounted.engine().system(), mounted);
        }
        Map<String, Node> built = new TreeMap<>();
        build(drafts, drafts.get("/"), built);
        return new InspectModel(Collections.unmodifiableMap(built));
    }

    private static void addSystem(
            Map<String, Draft> drafts, String prefix, InspectedSystem system, MountedSystem mount) {
        system.supervisors().forEach(path -> add(drafts, new Draft(prefix + path, Kind.SUPERVISOR, null, null, mount)));
        system.pools().forEach(path -> add(drafts, new Draft(prefix + path, Kind.POOL, null, null, mount)));
        for (ActorCell<?> cell : system.cells()) {
            add(drafts, new Draft(prefix + pathOf(cell), Kind.ACTOR, cell, null, mount));
        }
    }

    /** @return an actor's path: its name under a supervisor, {@code /name} at the root */
    public static String pathOf(ActorCell<?> cell) {
        String name = cell.name();
        return name.startsWith("/") ? name : "/" + name;
    }

    /**
     * @param path an absolute path; a trailing {@code /} is ignored
     * @return its node
     * @throws InspectError {@code no-such-path}
     */
    public Node resolve(String path) {
        String normal = normalize(path);
        Node node = nodes.get(normal);
        if (node == null) {
            throw new InspectError(InspectError.NO_SUCH_PATH, "no actor or namespace at " + path);
        }
        return node;
    }

    /** @return the actors at or under {@code node} */
    public static List<Node> actorsUnder(Node node) {
        List<Node> actors = new ArrayList<>();
        collect(node, actors);
        return actors;
    }

    private static void collect(Node node, List<Node> into) {
        if (node.kind() == Kind.ACTOR) {
            into.add(node);
        }
        for (Node child : node.children()) {
            collect(child, into);
        }
    }

    /** @return every actor of the tree */
    public List<Node> actors() {
        return actorsUnder(nodes.get("/"));
    }

    static String normalize(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** @return whether {@code path} is {@code prefix} or lies under it */
    public static boolean under(String path, String prefix) {
        if (prefix.equals("/")) {
            return true;
        }
        return path.equals(prefix) || (path.startsWith(prefix) && path.charAt(prefix.length()) == '/');
    }

    private static void addNamespace(Map<String, Draft> drafts, String path, InspectableNamespace namespace) {
        add(drafts, new Draft(path, Kind.NAMESPACE, null, namespace, null));
        List<? extends InspectableNamespace> children = namespace.children();
        if (children == null) {
            return;
        }
        for (InspectableNamespace child : children) {
            String name = child.name();
            if (name == null || name.isEmpty() || name.contains("/")) {
                continue; // not a path segment: shown nowhere rather than breaking the listing
            }
            addNamespace(drafts, (path.equals("/") ? "" : path) + "/" + name, child);
        }
    }

    /** Adds a node (an actor replaces a namespace of the same path) and its missing ancestors. */
    private static void add(Map<String, Draft> drafts, Draft draft) {
        Draft existing = drafts.get(draft.path);
        if (existing == null || existing.kind == Kind.NAMESPACE) {
            drafts.put(draft.path, draft);
        }
        addMissingParents(drafts, draft.path);
    }

    private static void addMissingParents(Map<String, Draft> drafts, String path) {
        String parent = parentOf(path);
        while (parent != null && !drafts.containsKey(parent)) {
            drafts.put(parent, new Draft(parent, Kind.NAMESPACE, null, null, null));
            parent = parentOf(parent);
        }
    }

    static String parentOf(String path) {
        if (path.equals("/")) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    private static Node build(Map<String, Draft> drafts, Draft draft, Map<String, Node> built) {
        List<Node> children = new ArrayList<>();
        String prefix = draft.path.equals("/") ? "/" : draft.path + "/";
        // Children are the drafts whose parent is this path; the map is sorted, so they follow it.
        for (Map.Entry<String, Draft> entry :
                ((TreeMap<String, Draft>) drafts).tailMap(prefix, true).entrySet()) {
            String path = entry.getKey();
            if (!path.startsWith(prefix)) {
                break;
            }
            if (!path.equals(draft.path) && draft.path.equals(parentOf(path))) {
                children.add(build(drafts, entry.getValue(), built));
            }
        }
        children.sort((a, b) -> a.name().compareTo(b.name()));
        String name = draft.path.equals("/") ? "" : draft.path.substring(draft.path.lastIndexOf('/') + 1);
        Node node =
                new Node(name, draft.path, draft.kind, draft.cell, draft.namespace, draft.mount, List.copyOf(children));
        built.put(draft.path, node);
        return node;
    }

    private record Draft(
            String path, Kind kind, ActorCell<?> cell, InspectableNamespace namespace, MountedSystem mount) {}
}
