package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorInfo;
import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorSystemConfig;
import dev.ensemble.core.Down;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.remote.RemoteCallException.Reason;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.FreePorts;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.ws.direct.DirectTransport;
import dev.ensemble.transport.ws.direct.DirectTransportConfig;
import java.net.URI;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A local actor that depends on an actor the configuration places on another node, over a direct
 * connection: the same code on both nodes, only node A's file says where the counter runs. Node A
 * starts its {@link RemoteActors} with the system ({@code Builder.remote}), so the watcher gets the
 * remote counter's client through its dependencies.
 */
class PlacedDependencyOverDirectTest {
    private static final PeerIdentity ALICE = TestPeers.identity("alice");
    private static final PeerIdentity BOB = TestPeers.identity("bob");

    private static String configOfA() {
        return "{\"actors\":{\"counter\":{\"node\":\"counter-host\"}},\"nodes\":{\"counter-host\":\"" + BOB.peerId()
                + "\"}}";
    }

    /** The same registrations on every node. */
    private static ActorSystem.Builder sameCode(ActorSystem.Builder builder) {
        return builder.add(Counter.TOKEN, Counter::new).add(TallyWatcher.TOKEN, TallyWatcher::new, Counter.TOKEN);
    }

    private static RemoteActors node(ActorSystem system, DirectTransport transport) {
        return RemoteActors.builder(system, transport)
                .types(SimNodes.TYPES)
                .heartbeatInterval(RemoteOverRelayTest.HEARTBEAT)
                .acceptableHeartbeatPause(RemoteOverRelayTest.PAUSE)
                .start();
    }

    private static ActorSystem nodeA(int portOfB) {
        return sameCode(ActorSystem.builder("a")
                        .config(ActorSystemConfig.fromJson(configOfA(), "a.json"))
                        .remote(system -> node(
                                system,
                                DirectTransport.create(DirectTransportConfig.builder(ALICE)
                                        .dial(URI.create("ws://127.0.0.1:" + portOfB + "/"), BOB.peerId())
                                        .build()))))
                .start();
    }

    /**
     * A node that shuts down cleanly stops its actors first and says so (a normal down, no cause);
     * one that is killed or cut off is declared down by this node (the cause says node down).
     */
    static void assertStoppedOrNodeDown(Down down) {
        assertEquals("counter", down.actor());
        if (down.cause() != null) {
            assertEquals(
                    Reason.NODE_DOWN,
                    assertInstanceOf(RemoteCallException.class, down.cause()).reason(),
                    down::toString);
        }
    }

    @Test
    void aLocalActorFollowsAskAndWatchesACounterPlacedOnAnotherNode() {
        DirectTransport transportB = DirectTransport.create(
                DirectTransportConfig.builder(BOB).listen("127.0.0.1", 0).build());
        AtomicReference<RemoteActors> b = new AtomicReference<>();
        ActorSystem systemB = sameCode(ActorSystem.builder("b").remote(system -> {
                    b.set(node(system, transportB));
                    return b.get();
                }))
                .start();
        try (ActorSystem systemA = nodeA(transportB.port())) {
            b.get().expose(Counter.TOKEN, AccessPolicy.everyone(Permission.values()));
            assertEquals(
                    java.util.List.of("watcher"),
                    systemA.actors().stream().map(ActorInfo::name).toList(),
                    "only the watcher runs on node a");

            ActorClient<TallyWatcherActions, TallyWatcherState> watcherA = systemA.client(TallyWatcher.TOKEN);
            Await.until(
                    "node a is connected to node b",
                    () -> systemA.client(Counter.TOKEN).status() == ActorStatus.RUNNING);
            assertEquals(0, watcherA.actions().totalOfTheCounter().join());
            systemB.client(Counter.TOKEN).actions().increment(5);
            systemA.client(Counter.TOKEN).actions().increment(7);
            Await.until(
                    "a's watcher follows the state of the counter on b",
                    () -> watcherA.state().seen() == 12,
                    watcherA::state);
            assertEquals(12, watcherA.actions().totalOfTheCounter().join());
            assertEquals(
                    12,
                    systemB.client(TallyWatcher.TOKEN).state().seen(),
                    "b's watcher, the same code, follows its local counter");

            // Node b goes away: a's watcher is told in its own turn, its calls fail, a keeps running.
            systemB.close();
            Await.until(
                    "a's watcher sees the counter down", () -> watcherA.state().down() != null, watcherA::state);
            assertStoppedOrNodeDown(watcherA.state().down());
            RemoteCallException failed = assertInstanceOf(
                    RemoteCallException.class,
                    assertThrows(
                                    CompletionException.class,
                                    () -> watcherA.actions().totalOfTheCounter().join())
                            .getCause());
            assertTrue(
                    failed.reason() == Reason.NOT_CONNECTED || failed.reason() == Reason.NODE_DOWN, failed::toString);
            assertEquals(ActorStatus.RUNNING, watcherA.status(), "a dependency's node going down stops nobody");
        } finally {
            systemB.close();
        }
    }

    @Test
    void aLocalActorStartsWhileTheNodeOfItsDependencyIsDownAndItsCallsFailNamingTheNode() {
        int nobody = FreePorts.tcp();
        try (ActorSystem systemA = nodeA(nobody)) {
            ActorClient<TallyWatcherActions, TallyWatcherState> watcherA = systemA.client(TallyWatcher.TOKEN);
            assertEquals(ActorStatus.RUNNING, watcherA.status(), "the start does not wait for other nodes");
            RemoteCallException failed = assertInstanceOf(
                    RemoteCallException.class,
                    assertThrows(
                                    CompletionException.class,
                                    () -> watcherA.actions().totalOfTheCounter().join())
                            .getCause());
            assertTrue(
                    failed.reason() == Reason.NOT_CONNECTED || failed.reason() == Reason.NODE_DOWN, failed::toString);
            assertTrue(failed.getMessage().contains(BOB.peerId().shortForm()), failed::getMessage);
        }
    }
}
