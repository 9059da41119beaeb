package dev.ensemble.remote;

import dev.ensemble.core.ActorSystem;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * A node in its own JVM for the cross-process tests: joins a room of a signaling server, serves the
 * test counter to everyone, prints {@code node <did:key>} once it is ready, and runs until killed.
 *
 * <p>Arguments: the server's URI and the room.
 */
public final class CounterNode {
    private CounterNode() {}

    public static void main(String[] args) throws InterruptedException {
        PeerIdentity identity = PeerIdentity.generate();
        WebSocketTransport transport =
                WebSocketTransport.create(WebSocketTransportConfig.builder(URI.create(args[0]), args[1], identity)
                        .build());
        ActorSystem system = ActorSystem.builder("counter-node")
                .add(Counter.TOKEN, Counter::new)
                .start();
        RemoteActors remote = RemoteActors.builder(system, transport)
                .types(SimNodes.TYPES)
                .heartbeatInterval(RemoteOverRelayTest.HEARTBEAT)
                .acceptableHeartbeatPause(RemoteOverRelayTest.PAUSE)
                .start();
        remote.expose(Counter.TOKEN, AccessPolicy.everyone(Permission.values()));
        System.out.println("node " + identity.peerId());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
