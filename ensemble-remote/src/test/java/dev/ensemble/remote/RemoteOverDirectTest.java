package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorSystemConfig;
import dev.ensemble.core.Down;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.remote.RemoteCallException.Reason;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.secure.SecureTransport;
import dev.ensemble.transport.ws.direct.DirectTransport;
import dev.ensemble.transport.ws.direct.DirectTransportConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote actors over the direct WebSocket connection (no signaling server), on 127.0.0.1: two nodes in
 * one JVM, and a node in a second JVM that is killed.
 */
class RemoteOverDirectTest {
    private static final PeerIdentity ALICE = TestPeers.identity("alice");
    private static final PeerIdentity BOB = TestPeers.identity("bob");
    private static final PeerIdentity CAROL = TestPeers.identity("carol");

    @TempDir
    Path dir;

    private static RemoteActors node(ActorSystem system, Transport transport) {
        return RemoteActors.builder(system, transport)
                .types(SimNodes.TYPES)
                .heartbeatInterval(RemoteOverRelayTest.HEARTBEAT)
                .acceptableHeartbeatPause(RemoteOverRelayTest.PAUSE)
                .start();
    }

    @Test
    void callsStateEventsAndPolicyWorkAcrossADirectConnection() {
        try (ActorSystem systemB = ActorSystem.builder("b")
                        .add(Counter.TOKEN, Counter::new)
                        .start();
                ActorSystem systemA = ActorSystem.builder("a").start();
                ActorSystem systemC = ActorSystem.builder("c").start();
                DirectTransport transportB = DirectTransport.create(DirectTransportConfig.builder(BOB)
                        .listen("127.0.0.1", 0)
                        .build());
                RemoteActors b = node(systemB, transportB)) {
            b.expose(
                    Counter.TOKEN,
                    AccessPolicy.none()
                            .allow(Permission.TELL, ALICE.peerId())
                            .allow(Permission.ASK, ALICE.peerId())
                            .allowEveryone(Permission.READ_STATE, Permission.EVENTS));
            int port = transportB.port();
            URI uri = URI.create("ws://127.0.0.1:" + port + "/");
            try (RemoteActors a = node(
                            systemA,
                            DirectTransport.create(DirectTransportConfig.builder(ALICE)
                                    .dial(uri, BOB.peerId())
                                    .build()));
                    RemoteActors c = node(
                            systemC,
                            DirectTransport.create(DirectTransportConfig.builder(CAROL)
                                    .dial(uri, BOB.peerId())
                                    .build()))) {
                Await.until("bob is up for alice and carol", () -> a.isUp(BOB.peerId()) && c.isUp(BOB.peerId()));
                ActorClient<CounterActions, Tally> counter = a.client(BOB.peerId(), Counter.TOKEN);
                List<Integer> seen = new CopyOnWriteArrayList<>();
                counter.onState(tally -> seen.add(tally.total()));
                List<Object> events = new CopyOnWriteArrayList<>();
                counter.onEvent("announced", event -> events.add(event.payload()));
                for (int i = 1; i <= 100; i++) {
                    counter.actions().increment(i);
                }
                assertEquals(5050, counter.actions().total().join());
                assertEquals(
                        new Note("direct!", 2, List.of(3)),
                        counter.actions()
                                .echo(new Note("direct", 1, List.of(3)))
                                .join());
                Await.until("the state follows to 5050", () -> seen.contains(5050), () -> seen);
                for (int i = 1; i < seen.size(); i++) {
                    assertTrue(seen.get(i) > seen.get(i - 1), "state in order: " + seen);
                }
                counter.actions().announce("hello");
                Await.until("the event arrives", () -> events.contains("hello"), () -> events);

                // Carol proved her key but may only read: her ask is refused and never reaches the actor.
                ActorClient<CounterActions, Tally> carols = c.client(BOB.peerId(), Counter.TOKEN);
                RemoteCallException refused = assertInstanceOf(
                        RemoteCallException.class,
                        assertThrows(
                                        CompletionException.class,
                                        () -> carols.actions().total().join())
                                .getCause());
                assertEquals(Reason.UNAUTHORIZED, refused.reason());
                Await.until(
                        "carol reads the state",
                        () -> carols.state() != null && carols.state().total() == 5050,
                        carols::state);

                List<Down> downs = new CopyOnWriteArrayList<>();
                counter.onDown(downs::add);
                b.close();
                Await.until("alice sees bob down when his node closes", () -> downs.size() == 1);
                assertEquals(
                        Reason.NODE_DOWN,
                        assertInstanceOf(RemoteCallException.class, downs.get(0).cause())
                                .reason());
            }
        }
    }

    /** REMOTE.md says a direct connection can be wrapped in end-to-end sessions: it can. */
    @Test
    void callsWorkOverADirectConnectionWrappedInSecureSessions() {
        DirectTransport transportB = DirectTransport.create(
                DirectTransportConfig.builder(BOB).listen("127.0.0.1", 0).build());
        try (ActorSystem systemB = ActorSystem.builder("b")
                        .add(Counter.TOKEN, Counter::new)
                        .start();
                ActorSystem systemA = ActorSystem.builder("a").start();
                RemoteActors b = node(systemB, SecureTransport.wrap(transportB, BOB, "cluster-1"))) {
            b.expose(Counter.TOKEN, AccessPolicy.everyone(Permission.values()));
            DirectTransport transportA = DirectTransport.create(DirectTransportConfig.builder(ALICE)
                    .dial(URI.create("ws://127.0.0.1:" + transportB.port() + "/"), BOB.peerId())
                    .build());
            try (RemoteActors a = node(systemA, SecureTransport.wrap(transportA, ALICE, "cluster-1"))) {
                Await.until("bob is up through the session", () -> a.isUp(BOB.peerId()));
                ActorClient<CounterActions, Tally> counter = a.client(BOB.peerId(), Counter.TOKEN);
                counter.actions().increment(40);
                counter.actions().increment(2);
                assertEquals(42, counter.actions().total().join());
            }
        }
    }

    /** The same code on both nodes; only node A's configuration says where the counter runs. */
    @Test
    void theConfigurationPlacesTheCounterOnAnotherNodeAndTheCallingCodeDoesNotChange() {
        String configA = "{\"actors\":{\"counter\":{\"node\":\"counter-host\"}}," + "\"nodes\":{\"counter-host\":\""
                + BOB.peerId() + "\"}}";
        DirectTransport transportB = DirectTransport.create(
                DirectTransportConfig.builder(BOB).listen("127.0.0.1", 0).build());
        try (ActorSystem systemB = ActorSystem.builder("b")
                        .add(Counter.TOKEN, Counter::new)
                        .start();
                RemoteActors b = node(systemB, transportB);
                ActorSystem systemA = ActorSystem.builder("a")
                        .config(ActorSystemConfig.fromJson(configA, "a.json"))
                        .add(Counter.TOKEN, Counter::new)
                        .start();
                RemoteActors a = node(
                        systemA,
                        DirectTransport.create(DirectTransportConfig.builder(ALICE)
                                .dial(URI.create("ws://127.0.0.1:" + transportB.port() + "/"), BOB.peerId())
                                .build()))) {
            b.expose(Counter.TOKEN, AccessPolicy.everyone(Permission.values()));
            assertTrue(systemA.actors().isEmpty(), "the counter does not run on node a");
            Await.until("bob is up", () -> a.isUp(BOB.peerId()));

            assertEquals(12, useTheCounter(systemA));
            assertEquals(12, systemB.client(Counter.TOKEN).actions().total().join(), "it ran on node b");
            assertEquals(24, useTheCounter(systemB), "the same code on node b uses its local counter");
        }
    }

    /** Code that knows nothing of nodes. */
    private static int useTheCounter(ActorSystem system) {
        ActorClient<CounterActions, Tally> counter = system.client(Counter.TOKEN);
        counter.actions().increment(5);
        counter.actions().increment(7);
        return counter.actions().total().join();
    }

    @Test
    void aPlacementOnSomethingThatIsNoNodeAddressFailsNamingIt() {
        String config = "{\"actors\":{\"counter\":{\"node\":\"did:web:example\"}}}";
        try (ActorSystem system = ActorSystem.builder("a")
                        .config(ActorSystemConfig.fromJson(config, "a.json"))
                        .start();
                RemoteActors remote = node(
                        system,
                        DirectTransport.create(
                                DirectTransportConfig.builder(ALICE).build()))) {
            IllegalArgumentException error =
                    assertThrows(IllegalArgumentException.class, () -> system.client(Counter.TOKEN));
            assertTrue(
                    error.getMessage()
                            .startsWith(
                                    "the configuration places actor \"counter\" on node"
                                            + " \"did:web:example\", which is not a node address: a peer id must start with 'did:key:z'"),
                    error.getMessage());
        }
    }

    @Test
    void aCounterInAnotherJvmIsCalledOverTheDirectConnectionAndSeenDownWhenKilled() throws Exception {
        try (ChildProcess child = ChildProcess.builder(JavaCommand.of(DirectCounterNode.class)
                                .jvmOptions("-Xmx256m", "-XX:TieredStopAtLevel=1"))
                        .start(dir, "direct-node");
                ActorSystem system = ActorSystem.builder("caller").start()) {
            String line =
                    child.awaitLine("the node's id and port", Duration.ofSeconds(60), text -> text.startsWith("node "));
            String[] parts = line.split(" ");
            PeerId b = PeerId.parse(parts[1]);
            URI uri = URI.create("ws://127.0.0.1:" + parts[3] + "/");
            try (RemoteActors remote = node(
                    system,
                    DirectTransport.create(DirectTransportConfig.builder(PeerIdentity.generate())
                            .dial(uri, b)
                            .build()))) {
                Await.until("the node in the other JVM is up", () -> remote.isUp(b), child::describe);
                ActorClient<CounterActions, Tally> counter = remote.client(b, Counter.TOKEN);
                List<Integer> seen = new CopyOnWriteArrayList<>();
                counter.onState(tally -> seen.add(tally.total()));
                List<Down> downs = new CopyOnWriteArrayList<>();
                counter.onDown(downs::add);
                for (int i = 1; i <= 1000; i++) {
                    counter.actions().increment(1);
                }
                assertEquals(1000, counter.actions().total().join());
                Await.until("the state follows to 1000", () -> seen.contains(1000), () -> seen);

                long killed = System.nanoTime();
                child.kill();
                Await.until("onDown after SIGKILL", Duration.ofSeconds(30), () -> downs.size() == 1);
                long toDownMs = (System.nanoTime() - killed) / 1_000_000;
                assertEquals(
                        Reason.NODE_DOWN,
                        assertInstanceOf(RemoteCallException.class, downs.get(0).cause())
                                .reason());
                System.out.println("direct: remote node down " + toDownMs + " ms after SIGKILL: "
                        + downs.get(0).cause().getMessage());
            }
        }
    }
}
