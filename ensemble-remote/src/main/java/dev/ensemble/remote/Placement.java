package dev.ensemble.remote;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.RemoteClients;
import dev.ensemble.transport.PeerId;

/**
 * The clients of actors that the system's JSON configuration places on other nodes: what {@link
 * RemoteActors} attaches to its {@code ActorSystem} so that {@code system.client(TOKEN)} reaches an
 * actor on the node the configuration names, over this node's transport. Thread-safe.
 */
final class Placement implements RemoteClients {
    private final RemoteActors remote;

    Placement(RemoteActors remote) {
        this.remote = remote;
    }

    @Override
    public <A, S> ActorClient<A, S> client(String node, ActorToken<A, S> token) {
        PeerId peer;
        try {
            peer = PeerId.parse(node);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the configuration places actor \"" + token.name() + "\" on node \"" + node
                            + "\", which is not a node address: " + e.getMessage(),
                    e);
        }
        return remote.client(peer, token);
    }
}
