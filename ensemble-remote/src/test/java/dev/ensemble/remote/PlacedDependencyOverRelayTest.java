package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorSystemConfig;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Two systems in one room of a real signaling server (the relay): node a's file names the node that
 * runs the counter ({@code "counter-host"} in its {@code "nodes"}), and a's watcher, which depends on
 * the counter, reaches it there. The counter's node leaves and comes back as a new incarnation: the
 * watcher is told it went down, then follows the new one, with no code of its own for either.
 */
class PlacedDependencyOverRelayTest {
    private static final String ROOM = "placement";
    private static final PeerIdentity ALICE = TestPeers.identity("alice");
    private static final PeerIdentity BOB = TestPeers.identity("bob");

    private static RemoteActors node(ActorSystem system, URI server, PeerIdentity identity) {
        return RemoteActors.builder(
                        system,
                        WebSocketTransport.create(WebSocketTransportConfig.builder(server, ROOM, identity)
                                .build()))
                .types(SimNodes.TYPES)
                .heartbeatInterval(RemoteOverRelayTest.HEARTBEAT)
                .acceptableHeartbeatPause(RemoteOverRelayTest.PAUSE)
                .start();
    }

    /** Node b: the same registrations as node a, no file, its counter exposed to the room. */
    private static ActorSystem nodeB(URI server) {
        AtomicReference<RemoteActors> remote = new AtomicReference<>();
        ActorSystem system = ActorSystem.builder("b")
                .remote(s -> {
                    remote.set(node(s, server, BOB));
                    return remote.get();
                })
                .add(Counter.TOKEN, Counter::new)
                .add(TallyWatcher.TOKEN, TallyWatcher::new, Counter.TOKEN)
                .start();
        remote.get().expose(Counter.TOKEN, AccessPolicy.everyone(Permission.values()));
        return system;
    }

    @Test
    void aWatcherFollowsACounterOnANamedNodeOfTheRoomAcrossTheNodesRestart() throws Exception {
        SignalingServer server =
                new SignalingServer(SignalingServerConfig.loopback().build()).start();
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
        String config = "{\"actors\":{\"counter\":{\"node\":\"counter-host\"}},\"nodes\":{\"counter-host\":\""
                + BOB.peerId() + "\"}}";
        ActorSystem b = nodeB(uri);
        try (ActorSystem a = ActorSystem.builder("a")
                .config(ActorSystemConfig.fromJson(config, "a.json"))
                .remote(s -> node(s, uri, ALICE))
                .add(Counter.TOKEN, Counter::new)
                .add(TallyWatcher.TOKEN, TallyWatcher::new, Counter.TOKEN)
                .start()) {
            ActorClient<TallyWatcherActions, TallyWatcherState> watcher = a.client(TallyWatcher.TOKEN);
            Await.until("b is up in the room", () -> a.client(Counter.TOKEN).status() == ActorStatus.RUNNING);
            a.client(Counter.TOKEN).actions().increment(3);
            Await.until("a's watcher follows b's counter", () -> watcher.state().seen() == 3, watcher::state);
            assertEquals(3, watcher.actions().totalOfTheCounter().join());

            b.close();
            Await.until(
                    "a's watcher is told b went down",
                    () -> watcher.state().down() != null,
                    () -> watcher.state() + " " + a.client(Counter.TOKEN).status());
            PlacedDependencyOverDirectTest.assertStoppedOrNodeDown(
                    watcher.state().down());

            b = nodeB(uri); // the same identity, a new incarnation with a fresh counter
            b.client(Counter.TOKEN).actions().increment(40);
            Await.until(
                    "a's watcher follows the counter of b's new incarnation",
                    Duration.ofSeconds(30),
                    () -> watcher.state().seen() == 40,
                    watcher::state);
            assertEquals(40, watcher.actions().totalOfTheCounter().join());
        } finally {
            b.close();
            server.stop(Duration.ofSeconds(1));
        }
    }
}
