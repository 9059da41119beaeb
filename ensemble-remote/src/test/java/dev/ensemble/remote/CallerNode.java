package dev.ensemble.remote;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.testkit.Await;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import dev.ensemble.transport.ws.direct.DirectTransport;
import dev.ensemble.transport.ws.direct.DirectTransportConfig;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A calling node in its own JVM for the three-process tests: reaches the test counter on another node,
 * increments it by 1 {@code count} times, asks its total, prints {@code done <total>} and exits 0 (1
 * if the node was not reached within 60 s).
 *
 * <p>Arguments: {@code relay SERVER_URI ROOM NODE COUNT} or {@code direct NODE_URI NODE COUNT}.
 */
public final class CallerNode {
    private CallerNode() {}

    public static void main(String[] args) throws Exception {
        boolean relay = args[0].equals("relay");
        PeerId node = PeerId.parse(relay ? args[3] : args[2]);
        int count = Integer.parseInt(relay ? args[4] : args[3]);
        PeerIdentity identity = PeerIdentity.generate();
        Transport transport = relay
                ? WebSocketTransport.create(WebSocketTransportConfig.builder(URI.create(args[1]), args[2], identity)
                        .build())
                : DirectTransport.create(DirectTransportConfig.builder(identity)
                        .dial(URI.create(args[1]), node)
                        .build());
        try (ActorSystem system = ActorSystem.builder("caller-node").start();
                RemoteActors remote = RemoteActors.builder(system, transport)
                        .types(SimNodes.TYPES)
                        .start()) {
            Await.until("node " + node + " is reachable", Duration.ofSeconds(60), () -> remote.isUp(node));
            ActorClient<CounterActions, Tally> counter = remote.client(node, Counter.TOKEN);
            for (int i = 0; i < count; i++) {
                counter.actions().increment(1);
            }
            int total = counter.actions().total().get(30, TimeUnit.SECONDS);
            System.out.println("done " + total);
            System.out.flush();
        }
        System.exit(0);
    }
}
