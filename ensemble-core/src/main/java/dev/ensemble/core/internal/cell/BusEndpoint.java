package dev.ensemble.core.internal.cell;

/**
 * INTERNAL API: where an actor's {@code publish} goes: the bus of its namespace.
 *
 * <p>Threading: called on the publishing actor's turn thread; thread-safe.
 */
public interface BusEndpoint {
    /**
     * Routes a message now, on the caller's thread, so that one sender's messages keep their
     * order along every route.
     *
     * @param sender the publishing actor's path
     * @param name the message name in the sender's namespace
     * @param data its payload
     */
    void publish(String sender, String name, Object data);
}
