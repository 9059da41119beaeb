package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.remote.RemoteCallException.Reason;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.ws.direct.DirectTransport;
import dev.ensemble.transport.ws.direct.DirectTransportConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node that floods another with calls to a slow actor cannot starve a second caller: past its own
 * per-node limits (asks in flight, and the call rate where one is set) its calls are refused at once
 * with a clear error and counted, and the other caller's ask is served in time. Without the limits
 * the flood's backlog (seconds of work) would make that ask time out. Over direct connections on
 * 127.0.0.1.
 */
class FloodingCallerTest {
    private static final PeerIdentity BOB = TestPeers.identity("bob");
    private static final PeerIdentity FLOODER = TestPeers.identity("flooder");
    private static final PeerIdentity GRACE = TestPeers.identity("grace");
    /** The flood: this many calls of 2 ms of work each are 6 s of the actor's time. */
    private static final int FLOOD = 3_000;

    private static final int WORK_MS = 2;
    /** The honest caller's ask timeout: well below the unlimited flood's backlog, well above the limited one's. */
    private static final Duration HONEST_TIMEOUT = Duration.ofSeconds(4);

    private final List<AutoCloseable> open = new ArrayList<>();
    private int bobPort;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private RemoteActors serve(UnaryOperator<RemoteActors.Builder> settings) {
        ActorSystem system =
                ActorSystem.builder("bob").add(Counter.TOKEN, Counter::new).start();
        open.add(system);
        DirectTransport transport = DirectTransport.create(
                DirectTransportConfig.builder(BOB).listen("127.0.0.1", 0).build());
        RemoteActors bob = settings.apply(
                        RemoteActors.builder(system, transport).types(SimNodes.TYPES))
                .start();
        bobPort = transport.port();
        open.add(bob);
        bob.expose(Counter.TOKEN, AccessPolicy.everyone(Permission.values()));
        return bob;
    }

    private RemoteActors dial(PeerIdentity identity, RemoteActors bob, Duration askTimeout) {
        ActorSystem system = ActorSystem.builder(identity.peerId().shortForm()).start();
        open.add(system);
        RemoteActors node = RemoteActors.builder(
                        system,
                        DirectTransport.create(DirectTransportConfig.builder(identity)
                                .dial(URI.create("ws://127.0.0.1:" + bobPort + "/"), BOB.peerId())
                                .build()))
                .types(SimNodes.TYPES)
                .askTimeout(askTimeout)
                .maxQueuedFrames(2 * FLOOD)
                .start();
        open.add(node);
        Await.until("bob is up for " + identity.peerId().shortForm(), () -> node.isUp(BOB.peerId()));
        return node;
    }

    @Test
    void aFloodOfAsksIsRefusedPastTheNodesAsksInFlightAndAnotherCallerIsServed() throws Exception {
        RemoteActors bob = serve(builder -> builder);
        RemoteActors flooder = dial(FLOODER, bob, Duration.ofSeconds(60));
        RemoteActors grace = dial(GRACE, bob, HONEST_TIMEOUT);
        ActorClient<CounterActions, Tally> flood = flooder.client(BOB.peerId(), Counter.TOKEN);

        List<CompletableFuture<Integer>> asks = new ArrayList<>();
        for (int i = 0; i < FLOOD; i++) {
            asks.add(flood.actions().busy(WORK_MS));
        }
        Await.until(
                "bob took in the whole flood",
                Duration.ofSeconds(30),
                () -> bob.stats().callsServed() + bob.stats().callsRefused() >= FLOOD,
                bob::stats);

        long start = System.nanoTime();
        ActorClient<CounterActions, Tally> counter = grace.client(BOB.peerId(), Counter.TOKEN);
        assertEquals(0, counter.actions().total().get(HONEST_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < HONEST_TIMEOUT.toMillis(), "grace's ask took " + tookMs + " ms");

        long throttled = bob.stats().callsThrottled();
        // How many got in depends on how fast asks completed while the flood came in (a loaded
        // machine lets more in); the bound above is what matters.
        assertTrue(throttled > 0, "part of the flood was refused: " + bob.stats());
        RemoteCallException refused = null;
        int answered = 0;
        for (CompletableFuture<Integer> ask : asks) {
            try {
                ask.get(30, TimeUnit.SECONDS);
                answered++;
            } catch (java.util.concurrent.ExecutionException e) {
                refused = assertInstanceOf(RemoteCallException.class, e.getCause());
            }
        }
        assertTrue(answered >= RemoteActors.DEFAULT_MAX_ASKS_IN_FLIGHT_PER_NODE, "answered " + answered);
        assertEquals(FLOOD - answered, throttled, bob.stats()::toString);
        assertEquals(Reason.UNAVAILABLE, refused.reason(), refused::toString);
        assertTrue(
                refused.getMessage()
                        .contains("already has " + RemoteActors.DEFAULT_MAX_ASKS_IN_FLIGHT_PER_NODE
                                + " asks in flight here (maxAsksInFlightPerNode)"),
                refused.getMessage());
        // The flooder's link survives its own flood: it is served again once its asks are answered.
        assertTrue(flooder.isUp(BOB.peerId()));
        assertEquals(0, flood.actions().total().get(10, TimeUnit.SECONDS));
    }

    @Test
    void aFloodOfTellsIsRefusedPastTheNodesCallRateAndAnotherCallerIsServed() throws Exception {
        RemoteActors bob = serve(builder -> builder.callRatePerNode(200, 200));
        RemoteActors flooder = dial(FLOODER, bob, Duration.ofSeconds(60));
        RemoteActors grace = dial(GRACE, bob, HONEST_TIMEOUT);
        ActorClient<CounterActions, Tally> flood = flooder.client(BOB.peerId(), Counter.TOKEN);

        for (int i = 0; i < FLOOD; i++) {
            flood.actions().spin(WORK_MS);
        }
        Await.until(
                "bob took in the whole flood",
                Duration.ofSeconds(30),
                () -> bob.stats().callsServed() + bob.stats().callsRefused() >= FLOOD,
                bob::stats);

        long start = System.nanoTime();
        ActorClient<CounterActions, Tally> counter = grace.client(BOB.peerId(), Counter.TOKEN);
        assertEquals(0, counter.actions().total().get(HONEST_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < HONEST_TIMEOUT.toMillis(), "grace's ask took " + tookMs + " ms");

        assertTrue(bob.stats().callsThrottled() > 0, bob.stats()::toString);
        Await.until(
                "the flooder hears that its tells were refused",
                () -> flooder.stats().tellsRefused() == bob.stats().callsThrottled(),
                () -> flooder.stats() + " / " + bob.stats());
    }

    @Test
    void limitsOutsideTheirRangeAreRefusedNamingTheSetting() {
        ActorSystem system = ActorSystem.builder("limits").start();
        open.add(system);
        RemoteActors.Builder builder = RemoteActors.builder(
                system,
                DirectTransport.create(DirectTransportConfig.builder(BOB).build()));
        assertEquals(
                "maxAsksInFlightPerNode must be >= 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> builder.maxAsksInFlightPerNode(0))
                        .getMessage());
        assertEquals(
                "callRatePerNode must be >= 1 call a second with a burst >= 1, was 0 a second, burst 5",
                assertThrows(IllegalArgumentException.class, () -> builder.callRatePerNode(0, 5))
                        .getMessage());
    }
}
