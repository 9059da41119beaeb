package dev.ensemble.core.inspect;

import java.util.List;

/**
 * A read-only part of an inspected tree that is not an actor, such as a signaling server's rooms
 * and connections: it has a name, children, a one-line summary and a state shown as JSON. The
 * shell lists it with kind {@code namespace}; {@code cat} shows its state; it takes no messages.
 *
 * <p>Mount one into a system's inspector ({@link Inspector#mount}) or build an inspector of
 * namespaces alone ({@link Inspector#ofNamespaces}):
 *
 * <pre>{@code
 * record Rooms(RoomRegistry registry) implements InspectableNamespace {
 *     public String name() { return "rooms"; }
 *     public List<InspectableNamespace> children() { return registry.snapshot().stream().map(Room::new).toList(); }
 *     public String summary() { return registry.size() + " rooms"; }
 *     public Object state() { return Map.of("rooms", registry.size()); }
 * }
 * Inspector inspector = Inspector.ofNamespaces("signaling");
 * inspector.mount("/rooms", new Rooms(registry));
 * }</pre>
 *
 * <h2>Threading</h2>
 * Every method is called on an inspection session's thread, concurrently with whatever owns the
 * data and possibly from several sessions at once: return snapshots, be fast, take no lock that is
 * held for long. A method that throws makes that one request fail; the session goes on.
 */
public interface InspectableNamespace {
    /**
     * @return the name under its parent (one path segment: no {@code /}); ignored for a mounted
     *     namespace, whose mount path names it
     */
    String name();

    /** @return its children, each with a distinct name; empty by default */
    default List<? extends InspectableNamespace> children() {
        return List.of();
    }

    /** @return one line about it, cut to 120 characters; empty by default */
    default String summary() {
        return "";
    }

    /**
     * @return its current state as a value Jackson can serialize (a record, a map, a list, a
     *     {@code JsonNode}); null by default
     */
    default Object state() {
        return null;
    }
}
