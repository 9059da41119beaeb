package dev.ensemble.core.bus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The routes of one supervisor's namespace: for a message name, the children it goes to and the
 * namespaces it is forwarded to (renamed). They add to the children that declare they handle
 * the name; every target receives the message (fan-out). A message with no target at all is a
 * {@link DeadLetter}.
 *
 * <pre>{@code
 * RoutingTable.empty()
 *     .route("note-played", "player", "recorder")      // fan-out to two children
 *     .forward("file_read", "/file", "read")           // ui's file_read becomes read in /file
 * }</pre>
 *
 * <p>A forward that leads back to where it started is rejected when the system starts, naming
 * the cycle. Thread-safe: immutable; every method returns a copy.
 */
public final class RoutingTable {
    private static final RoutingTable EMPTY = new RoutingTable(Map.of());

    private final Map<String, List<Route>> routes;

    private RoutingTable(Map<String, List<Route>> routes) {
        this.routes = routes;
    }

    /** @return a table with no routes */
    public static RoutingTable empty() {
        return EMPTY;
    }

    /**
     * @param name a message name
     * @param children the children that receive it
     * @return a copy with these routes added
     */
    public RoutingTable route(String name, String... children) {
        RoutingTable table = this;
        for (String child : children) {
            table = table.with(name, new Route.ToChild(child));
        }
        return table;
    }

    /**
     * @param name a message name in this namespace
     * @param namespace the absolute path of the namespace it goes to
     * @param renamedTo its name there
     * @return a copy with this forward added
     */
    public RoutingTable forward(String name, String namespace, String renamedTo) {
        return with(name, new Route.Forward(namespace, renamedTo));
    }

    /**
     * @param name a message name
     * @param route one more target for it
     * @return a copy with the route added after the existing ones
     */
    public RoutingTable with(String name, Route route) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(route, "route");
        Map<String, List<Route>> copy = new LinkedHashMap<>(routes);
        List<Route> targets = new ArrayList<>(copy.getOrDefault(name, List.of()));
        targets.add(route);
        copy.put(name, List.copyOf(targets));
        return new RoutingTable(Map.copyOf(copy));
    }

    /**
     * @param name a message name
     * @return its explicit routes, in the order added; empty if none
     */
    public List<Route> routesFor(String name) {
        return routes.getOrDefault(name, List.of());
    }

    /** @return every explicit route by message name */
    public Map<String, List<Route>> routes() {
        return routes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutingTable other && other.routes.equals(routes);
    }

    @Override
    public int hashCode() {
        return routes.hashCode();
    }

    @Override
    public String toString() {
        return "RoutingTable" + routes;
    }
}
