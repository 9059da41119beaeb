package dev.ensemble.core.inspect;

import dev.ensemble.core.Subscription;
import dev.ensemble.core.internal.inspect.InspectedSystem;
import dev.ensemble.core.internal.inspect.InspectorEngine;
import java.util.function.Consumer;

/**
 * Something that can be inspected: it answers the requests of the inspection protocol
 * (docs/SHELL.md, "Protocol") about a tree of actors and namespaces.
 *
 * <p>Opening sessions is what transports do: the local socket of {@link InspectionSockets} opens
 * one per connection, ensemble-remote one per remote shell. Each session is granted its access by
 * the transport that opened it.
 *
 * <pre>{@code
 * try (InspectionSession session = inspector.open(InspectionAccess.READ, line -> out.println(line))) {
 *     session.request("{\"id\":1,\"op\":\"ls\",\"path\":\"/\",\"long\":true}");
 * }
 * }</pre>
 *
 * <p>An actor system's inspector is {@code ActorSystem.inspector()}; something that is not an
 * actor system (a signaling server) builds one from {@link InspectableNamespace}s alone with
 * {@link #ofNamespaces}. Either can {@link #mount} read-only namespaces into its tree.
 *
 * <p>Thread-safe: sessions may be opened and used concurrently.
 */
public interface Inspector {
    /**
     * Opens a session. Its first line to {@code sink} is the {@code hello} of the protocol.
     *
     * @param access what the session may do
     * @param sink receives each reply and event line (no line terminator); must not block for long,
     *     since a slow sink holds up the session's stream, never the actors (events that cannot be
     *     delivered in time are dropped and counted in the stream's end)
     * @return the open session
     */
    InspectionSession open(InspectionAccess access, Consumer<String> sink);

    /**
     * Shows a read-only namespace (and its children) at {@code path}, as kind {@code namespace}.
     * An actor at the same path hides it. Thread-safe.
     *
     * <pre>{@code
     * Subscription mounted = system.inspector().mount("/rooms", rooms);
     * mounted.cancel();                                  // gone from the tree again
     * }</pre>
     *
     * @param path absolute, not the root, such as {@code /rooms}; missing parents appear as empty
     *     namespaces
     * @param namespace what to show there
     * @return a handle that unmounts it
     * @throws IllegalArgumentException if the path is malformed or already has a namespace
     * @throws UnsupportedOperationException if this inspector has no tree to mount into (the
     *     default, for inspectors that only relay sessions)
     */
    default Subscription mount(String path, InspectableNamespace namespace) {
        throw new UnsupportedOperationException(
                "this inspector (" + getClass().getName() + ") cannot mount namespaces");
    }

    /**
     * Shows another actor system's whole live tree at {@code path}: its actors, supervisors, pools
     * and mounted namespaces appear under that path (the mount point itself is a namespace of type
     * {@code ActorSystem} whose state names the system), and every operation works on them as on
     * this system's own: {@code ls -l}, {@code cat}, {@code actions}, {@code send}, {@code trace},
     * {@code watch}, {@code history} and {@code top}. A process that runs several systems thus
     * serves them all through one inspector (one socket). Nothing is added to the mounted
     * system's message path: its cells are read, and tapped only while a trace or the history
     * runs, exactly as its own inspector would. Thread-safe.
     *
     * <pre>{@code
     * Subscription shown = app.inspector().mount("/players/ada", player.inspector());
     * // a shell now sees player's /piano/room at /players/ada/piano/room
     * shown.cancel();                                    // gone from the tree again
     * }</pre>
     *
     * <p>Trace events of a mounted system's actors carry the mount's prefix in their receiver, and
     * in their sender when it is an actor of that system (a sender of another system, such as this
     * one, keeps its own path).
     *
     * @param path absolute, not the root, such as {@code /players/ada}; missing parents appear as
     *     empty namespaces; choose one where this system has no actors (its own would be listed
     *     beside the mounted ones)
     * @param other an {@code ActorSystem}'s inspector ({@code system.inspector()})
     * @return a handle that unmounts it (cancel it when that system stops)
     * @throws IllegalArgumentException if the path is malformed, is at, above or below another
     *     mounted system, or if mounting would make a cycle (a system shown inside itself)
     * @throws UnsupportedOperationException if this inspector has no tree to mount into
     */
    default Subscription mount(String path, Inspector other) {
        throw new UnsupportedOperationException(
                "this inspector (" + getClass().getName() + ") cannot mount other systems");
    }

    /**
     * An inspector of namespaces alone, for a process that has no actor system to show; mount its
     * namespaces with {@link #mount}. Its streams' timers run on a daemon thread of its own.
     *
     * <pre>{@code
     * Inspector inspector = Inspector.ofNamespaces("signaling");
     * inspector.mount("/rooms", rooms);
     * }</pre>
     *
     * @param name what its sessions' hello calls the system
     * @return an empty inspector
     */
    static Inspector ofNamespaces(String name) {
        return new InspectorEngine(InspectedSystem.namespacesOnly(java.util.Objects.requireNonNull(name, "name")));
    }
}
