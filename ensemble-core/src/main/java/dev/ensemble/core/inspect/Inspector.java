package dev.ensemble.core.inspect;

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
}
