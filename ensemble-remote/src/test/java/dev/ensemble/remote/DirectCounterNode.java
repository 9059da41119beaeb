package dev.ensemble.remote;

import dev.ensemble.core.ActorSystem;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.ws.direct.DirectTransport;
import dev.ensemble.transport.ws.direct.DirectTransportConfig;
import java.util.concurrent.CountDownLatch;

/**
 * A node in its own JVM for the cross-process test of the direct connection: listens on a free port
 * of 127.0.0.1, serves the test counter to every node that proves its key, prints {@code node
 * <did:key> port <port>} once it listens, and runs until killed.
 */
public final class DirectCounterNode {
    private DirectCounterNode() {}

    public static void main(String[] args) throws InterruptedException {
        PeerIdentity identity = PeerIdentity.generate();
        DirectTransport transport = DirectTransport.create(
                DirectTransportConfig.builder(identity).listen("127.0.0.1", 0).build());
        ActorSystem system = ActorSystem.builder("counter-node")
                .add(Counter.TOKEN, Counter::new)
                .start();
        RemoteActors remote = RemoteActors.builder(system, transport)
                .types(SimNodes.TYPES)
                .heartbeatInterval(RemoteOverRelayTest.HEARTBEAT)
                .acceptableHeartbeatPause(RemoteOverRelayTest.PAUSE)
                .start();
        remote.expose(Counter.TOKEN, AccessPolicy.everyone(Permission.values()));
        System.out.println("node " + identity.peerId() + " port " + transport.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
