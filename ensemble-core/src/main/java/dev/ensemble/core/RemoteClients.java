package dev.ensemble.core;

/**
 * The hook through which an {@link ActorSystem} hands out clients for actors that its configuration
 * places on other nodes ({@code "actors": {"counter": {"node": "..."}}} in {@link ActorSystemConfig}).
 * Core knows nothing of networks: a remote layer (ensemble-remote's {@code RemoteActors}) implements
 * this and attaches itself with {@link ActorSystem#attachRemote}; {@link ActorSystem#client} then
 * returns its client for a placed actor, so code that uses the client does not change when the actor
 * moves.
 *
 * <p>Implementations are thread-safe: {@link ActorSystem#client} calls this from any thread.
 */
public interface RemoteClients {

    /**
     * Returns a client for an actor on another node.
     *
     * @param node the node as the configuration names it, resolved through its {@code "nodes"} map
     *     (for ensemble-remote a {@code did:key})
     * @param token the actor's token
     * @param <A> its actions
     * @param <S> its state
     * @return a client with the same API as a local one
     * @throws IllegalArgumentException if the node is not an address this remote layer understands,
     *     naming it
     */
    <A, S> ActorClient<A, S> client(String node, ActorToken<A, S> token);
}
