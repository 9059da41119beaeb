package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Down;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.remote.RemoteCallException.Reason;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two or three nodes in one JVM over the network simulator. */
class RemoteActorsTest {
    private static final PeerId A = SimNodes.id("node-a");
    private static final PeerId B = SimNodes.id("node-b");
    private static final AccessPolicy ALL = AccessPolicy.everyone(Permission.values());

    private final long seed = NetworkSimulator.chooseSeed();
    private SimNodes sim;

    /** A later version of the counter's interface: one action the serving node lacks, one changed. */
    public interface NewerActions {
        CompletableFuture<Integer> reset();

        CompletableFuture<Note> echo(String note);
    }

    private SimNodes network(LinkConditions conditions) {
        sim = new SimNodes(NetworkSimulator.builder()
                .seed(seed)
                .traceCapacity(0)
                .conditions(conditions)
                .build());
        return sim;
    }

    @AfterEach
    void closeNodes() {
        if (sim != null) {
            sim.close();
        }
    }

    /** Node A (index 0) uses the counter of node B (index 1), which exposes it with {@code policy}. */
    private ActorClient<CounterActions, Tally> connect(AccessPolicy policy) {
        RemoteActors a = sim.node("node-a");
        RemoteActors b = sim.node("node-b");
        b.expose(Counter.TOKEN, policy);
        sim.pumpUntil("A and B see each other up", () -> a.isUp(B) && b.isUp(A));
        return a.client(B, Counter.TOKEN);
    }

    private ActorClient<CounterActions, Tally> counterOnB() {
        return sim.system(1).client(Counter.TOKEN);
    }

    private static RemoteCallException remoteError(Throwable failure, Reason reason) {
        RemoteCallException error = assertInstanceOf(RemoteCallException.class, failure);
        assertEquals(reason, error.reason(), error.getMessage());
        return error;
    }

    @Test
    void tellsAndAsksReachTheRemoteActor() {
        network(LinkConditions.PERFECT);
        ActorClient<CounterActions, Tally> counter = connect(ALL);
        for (int i = 1; i <= 3; i++) {
            counter.actions().increment(i);
        }
        assertEquals(6, sim.await(counter.actions().total()), "seed " + seed);
        Note echoed = sim.await(counter.actions().echo(new Note("c", 64, List.of(60, 64, 67))));
        assertEquals(new Note("c!", 65, List.of(60, 64, 67)), echoed);
        assertEquals(ActorStatus.RUNNING, counter.status());
        assertEquals(6, counterOnB().state().total(), "the actor on B holds the sum");
    }

    @Test
    void stateIsASnapshotOnSubscribeThenFollowsTheActor() {
        network(LinkConditions.PERFECT);
        ActorClient<CounterActions, Tally> counter = connect(ALL);
        counterOnB().actions().increment(5);
        sim.pumpUntil("B's counter is 5", () -> counterOnB().state().total() == 5);

        assertNull(counter.state(), "no snapshot before the subscription is answered");
        sim.pumpUntil(
                "the snapshot arrives",
                () -> counter.state() != null && counter.state().total() == 5);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        counter.onState(tally -> seen.add(tally.total()));
        counterOnB().actions().increment(1);
        counter.actions().increment(2);
        sim.pumpUntil("A's cache follows to 8", () -> counter.state().total() == 8);
        sim.pumpUntil("the listener sees 8", () -> seen.contains(8));
    }

    @Test
    void eventsArriveInOrderOverALinkThatReorders() {
        network(LinkConditions.builder()
                .latency(Duration.ofMillis(1), Duration.ofMillis(30))
                .build());
        ActorClient<CounterActions, Tally> counter = connect(ALL);
        List<Object> seen = new CopyOnWriteArrayList<>();
        counter.onEvent("announced", event -> seen.add(event.payload()));
        // Events are not replayed: announce until the subscription is in place on B.
        sim.pumpUntil("the event subscription is in place", () -> {
            if (seen.isEmpty()) {
                counterOnB().actions().announce("warm-up");
            }
            return !seen.isEmpty();
        });
        seen.clear();
        for (int i = 0; i < 200; i++) {
            counterOnB().actions().announce("e" + i);
        }
        sim.pumpUntil("the last event arrives", () -> seen.contains("e199"), () -> seen);
        seen.removeIf("warm-up"::equals);
        for (int i = 1; i < seen.size(); i++) {
            int previous = Integer.parseInt(((String) seen.get(i - 1)).substring(1));
            int current = Integer.parseInt(((String) seen.get(i)).substring(1));
            assertTrue(current > previous, "seed " + seed + ": events in order, but got " + seen);
        }
        assertTrue(seen.size() > 1, "seed " + seed + ": " + seen);
    }

    @Test
    void aRefusedCallerGetsUnauthorizedAndTheActorNeverSeesTheCall() {
        network(LinkConditions.PERFECT);
        PeerId other = SimNodes.id("node-c");
        ActorClient<CounterActions, Tally> counter =
                connect(AccessPolicy.none().allow(Permission.TELL, other).allow(Permission.ASK, other));
        RemoteActors b = sim.remote(1);
        counter.actions().increment(7); // a tell: refused on B, logged on A
        RemoteCallException error = remoteError(sim.failure(counter.actions().total()), Reason.UNAUTHORIZED);
        assertEquals(
                "ask total() of actor \"counter\" on node " + B.shortForm() + ": node " + A.shortForm()
                        + " may not ask actor \"counter\"",
                error.getMessage());
        assertEquals(B, error.node());
        assertEquals(2, b.stats().callsRefused(), () -> "" + b.stats());
        assertEquals(0, b.stats().callsServed());
        assertEquals(0, counterOnB().state().total(), "the refused tell never reached the actor");

        assertNull(counter.state());
        sim.pumpUntil("B refuses the state subscription too", () -> b.stats().callsRefused() == 3, b::stats);
        assertNull(counter.state(), "no state without READ_STATE");
    }

    @Test
    void anUnexposedActorAWrongArgumentAndAnUnknownActionAreNamed() {
        network(LinkConditions.PERFECT);
        RemoteActors a = sim.node("node-a");
        RemoteActors b = sim.node("node-b");
        sim.pumpUntil("A sees B", () -> a.isUp(B));
        ActorClient<CounterActions, Tally> hidden = a.client(B, Counter.TOKEN);
        RemoteCallException unknown = remoteError(sim.failure(hidden.actions().total()), Reason.UNKNOWN_ACTOR);
        assertTrue(unknown.getMessage().endsWith("no actor \"counter\" is exposed"), unknown.getMessage());

        b.expose(Counter.TOKEN, ALL);
        ActorClient<NewerActions, Tally> newer =
                a.client(SimNodes.id("node-b"), ActorToken.of("counter-v2", NewerActions.class, Tally.class));
        remoteError(sim.failure(newer.actions().reset()), Reason.UNKNOWN_ACTOR);

        RemoteActors c = sim.node("node-c");
        sim.pumpUntil("C sees B", () -> c.isUp(B));
        ActorClient<NewerActions, Tally> fromC = c.client(B, ActorToken.of("counter", NewerActions.class, Tally.class));
        RemoteCallException action = remoteError(sim.failure(fromC.actions().reset()), Reason.UNKNOWN_ACTION);
        assertTrue(action.getMessage().contains("has no action \"reset\" (actions: ["), action.getMessage());
        RemoteCallException argument = remoteError(sim.failure(fromC.actions().echo("c")), Reason.BAD_ARGUMENTS);
        assertTrue(
                argument.getMessage()
                        .contains("argument 0 of echo(): a value of type \"string\" (java.lang.String) where"
                                + " dev.ensemble.remote.Note is expected"),
                argument.getMessage());
        assertEquals(
                6, sim.await(hidden.actions().echo(new Note("x", 5, List.of()))).velocity());
    }

    @Test
    void aValueThatCannotBeEncodedFailsThatCallOnly() {
        network(LinkConditions.PERFECT);
        ActorClient<CounterActions, Tally> counter = connect(ALL);
        CompletableFuture<String> badArgument = counter.actions().describe(new Counter.Unregistered());
        CompletableFuture<Object> badResult = counter.actions().unregisteredResult();
        CompletableFuture<Integer> good = counter.actions().total();

        RemoteCallException argument = remoteError(sim.failure(badArgument), Reason.BAD_ARGUMENTS);
        assertEquals(Counter.Unregistered.class.getName(), argument.remoteType().orElseThrow());
        assertTrue(
                argument.getMessage()
                        .startsWith("argument 0 of describe() of actor \"counter\": type "
                                + Counter.Unregistered.class.getName() + " is not registered on this node"),
                argument.getMessage());
        RemoteCallException result = remoteError(sim.failure(badResult), Reason.BAD_RESULT);
        assertEquals(Counter.Unregistered.class.getName(), result.remoteType().orElseThrow());
        assertEquals(0, sim.await(good), "the other call is unaffected");

        RemoteCallException tell =
                assertThrows(RemoteCallException.class, () -> counter.actions().remember(new Counter.Unregistered()));
        assertEquals(Reason.BAD_ARGUMENTS, tell.reason());
        assertEquals(
                "Note[name=n, velocity=1, chord=[2]]",
                sim.await(counter.actions().describe(new Note("n", 1, List.of(2)))));
    }

    @Test
    void aRemoteFailureCarriesTheExceptionTypeAndMessage() {
        network(LinkConditions.PERFECT);
        ActorClient<CounterActions, Tally> counter = connect(ALL);
        RemoteCallException error = remoteError(sim.failure(counter.actions().fail("boom")), Reason.FAILED);
        assertEquals("java.lang.IllegalStateException", error.remoteType().orElseThrow());
        assertTrue(error.getMessage().endsWith("java.lang.IllegalStateException: boom"), error.getMessage());
        assertEquals(0, sim.await(counter.actions().total()));
    }

    @Test
    void anAskWhoseCallIsLostTimesOut() {
        network(LinkConditions.PERFECT);
        ActorClient<CounterActions, Tally> counter = connect(ALL);
        sim.network.partition(Set.of(A), Set.of(B));
        Throwable failure = sim.failure(
                counter.withAskTimeout(Duration.ofMillis(200)).actions().total());
        assertInstanceOf(TimeoutException.class, failure);
        assertTrue(failure.getMessage().endsWith("got no reply within PT0.2S"), failure.getMessage());
        sim.network.heal();
        assertEquals(0, sim.await(counter.actions().total()));
    }

    @Test
    void aPartitionedNodeIsDownItsAsksFailAtOnceAndItComesBack() {
        network(LinkConditions.PERFECT);
        RemoteActors a = sim.node(
                "node-a",
                s -> s.heartbeatInterval(Duration.ofMillis(50)).acceptableHeartbeatPause(Duration.ofMillis(500)));
        RemoteActors b = sim.node(
                "node-b",
                s -> s.heartbeatInterval(Duration.ofMillis(50)).acceptableHeartbeatPause(Duration.ofMillis(500)));
        b.expose(Counter.TOKEN, ALL);
        sim.pumpUntil("up", () -> a.isUp(B) && b.isUp(A));
        ActorClient<CounterActions, Tally> counter = a.client(B, Counter.TOKEN).withAskTimeout(Duration.ofMinutes(1));
        List<Down> downs = new CopyOnWriteArrayList<>();
        counter.onDown(downs::add);
        sim.pumpUntil("the state snapshot", () -> counter.state() != null);

        sim.network.partition(Set.of(A), Set.of(B));
        CompletableFuture<Integer> outstanding = counter.actions().total();
        RemoteCallException down = remoteError(sim.failure(outstanding), Reason.NODE_DOWN);
        assertTrue(down.getMessage().contains("no heartbeat for"), down.getMessage());
        assertTrue(down.getMessage().contains("above the threshold 10.0)"), down.getMessage());
        sim.pumpUntil("onDown is told", () -> downs.size() == 1);
        assertEquals("counter", downs.get(0).actor());
        assertEquals(ActorStatus.STOPPED, counter.status());
        remoteError(sim.failure(counter.actions().total()), Reason.NODE_DOWN);

        sim.network.heal();
        sim.pumpUntil("B is up again", () -> a.isUp(B));
        counterOnB().actions().increment(4);
        sim.pumpUntil("the renewed subscription brings 4", () -> counter.state().total() == 4);
        assertEquals(4, sim.await(counter.actions().total()));
    }

    @Test
    void whatWasQueuedForANodeThatOnlyFellSilentStillReachesItWhenItIsHeardAgain() {
        network(LinkConditions.PERFECT);
        UnaryOperator<RemoteActors.Builder> quick =
                s -> s.heartbeatInterval(Duration.ofMillis(50)).acceptableHeartbeatPause(Duration.ofMillis(500));
        GatedTransport[] gates = new GatedTransport[2];
        RemoteActors a = sim.node("node-a", transport -> gates[0] = new GatedTransport(transport), quick);
        RemoteActors b = sim.node("node-b", transport -> gates[1] = new GatedTransport(transport), quick);
        b.expose(Counter.TOKEN, ALL);
        sim.pumpUntil("up", () -> a.isUp(B) && b.isUp(A));
        ActorClient<CounterActions, Tally> counter = a.client(B, Counter.TOKEN);
        List<Object> events = new CopyOnWriteArrayList<>();
        counter.onEvent("announced", event -> events.add(event.payload()));
        List<Down> downs = new CopyOnWriteArrayList<>();
        counter.onDown(downs::add);
        // The subscriptions were sent before this ask and are in place once it is answered.
        assertEquals(0, sim.await(counter.actions().total()));

        // Both transports stop taking messages while staying connected (a starved writer), and
        // nothing gets through: each node hears the other fall silent.
        gates[0].shut();
        gates[1].shut();
        sim.network.partition(Set.of(A), Set.of(B));
        counter.actions().increment(5);
        counterOnB().actions().announce("while silent");
        sim.pumpUntil("each node judges the other down", () -> downs.size() == 1 && !b.isUp(A));

        // The connection never closed: what each node accepted meanwhile (A's tell, B's event) is
        // still sent once the other is heard again, not dropped by the verdict.
        sim.network.heal();
        gates[0].open();
        gates[1].open();
        sim.pumpUntil("both are up again", () -> a.isUp(B) && b.isUp(A));
        sim.pumpUntil(
                "the tell A accepted while it judged B down reaches the counter",
                Duration.ofSeconds(10),
                () -> counterOnB().state().total() == 5);
        sim.pumpUntil(
                "the event B emitted while it judged A down reaches A",
                () -> events.contains("while silent"),
                () -> events);
        assertEquals(1, downs.size(), () -> "the false verdict was told once: " + downs);
    }

    @Test
    void aNodeThatItselfStoodStillDoesNotJudgeTheOthersByTheSilenceOfItsOwnPause() throws InterruptedException {
        network(LinkConditions.PERFECT);
        UnaryOperator<RemoteActors.Builder> quick =
                s -> s.heartbeatInterval(Duration.ofMillis(50)).acceptableHeartbeatPause(Duration.ofMillis(500));
        RemoteActors a = sim.node("node-a", quick);
        RemoteActors b = sim.node("node-b", quick);
        b.expose(Counter.TOKEN, ALL);
        sim.pumpUntil("up", () -> a.isUp(B) && b.isUp(A));

        // A stands still for 1.5 s, three times the acceptable pause: its scheduler is held, and
        // nothing reaches it (the simulator delivers only when pumped). The first round of
        // heartbeats after the pause runs before A has read anything B sent meanwhile; the task
        // that records what A thinks of B is scheduled after that round, on the same thread.
        AtomicBoolean upAfterThePause = new AtomicBoolean();
        CountDownLatch recorded = new CountDownLatch(1);
        a.schedule(
                () -> {
                    LockSupport.parkNanos(Duration.ofMillis(1500).toNanos());
                    a.schedule(
                            () -> {
                                upAfterThePause.set(a.isUp(B));
                                recorded.countDown();
                            },
                            0,
                            TimeUnit.MILLISECONDS);
                },
                0,
                TimeUnit.MILLISECONDS);
        assertTrue(recorded.await(10, TimeUnit.SECONDS), "A's scheduler ran again");
        assertTrue(upAfterThePause.get(), () -> "A judged B down by the silence of its own pause: " + a.stats());
        sim.pumpUntil("A hears B", () -> a.isUp(B));
        assertEquals(0, sim.await(a.client(B, Counter.TOKEN).actions().total()));
    }

    @Test
    void aConnectionThatOnlyTheServingNodeSawDropKeepsServingWhatTheOtherSubscribedTo() {
        network(LinkConditions.PERFECT);
        FlappingTransport[] flapping = new FlappingTransport[1];
        RemoteActors a = sim.node("node-a");
        RemoteActors b = sim.node("node-b", transport -> flapping[0] = new FlappingTransport(transport), s -> s);
        b.expose(Counter.TOKEN, ALL);
        sim.pumpUntil("up", () -> a.isUp(B) && b.isUp(A));
        ActorClient<CounterActions, Tally> counter = a.client(B, Counter.TOKEN);
        List<Object> events = new CopyOnWriteArrayList<>();
        counter.onEvent("announced", event -> events.add(event.payload()));
        List<Down> downs = new CopyOnWriteArrayList<>();
        counter.onDown(downs::add);
        sim.pumpUntil("the state snapshot", () -> counter.state() != null);

        // B's transport reports A gone and back (WebRTC: ICE briefly disconnected on B's side);
        // A sees nothing, so it still counts on its subscriptions and does not renew them.
        flapping[0].flap(A);
        counterOnB().actions().increment(7);
        counterOnB().actions().announce("after the flap");
        sim.pumpUntil("A's cache follows to 7", () -> counter.state().total() == 7, counter::state);
        sim.pumpUntil("the event after the flap reaches A", () -> events.contains("after the flap"), () -> events);
        assertTrue(a.isUp(B), "A never saw B down");
        assertTrue(downs.isEmpty(), () -> "A never saw B down: " + downs);
    }

    @Test
    void aWatcherIsToldWhenTheRemoteActorStopsAndCallsThenFail() {
        network(LinkConditions.PERFECT);
        ActorClient<CounterActions, Tally> counter = connect(ALL);
        List<Down> downs = new CopyOnWriteArrayList<>();
        counter.onDown(downs::add);
        // The watch was sent before this ask and is in place once it is answered.
        assertEquals(0, sim.await(counter.actions().total()));
        sim.system(1).stop(Counter.TOKEN);
        sim.pumpUntil("the watcher is told", () -> downs.size() == 1);
        assertEquals("counter", downs.get(0).actor());
        assertTrue(!downs.get(0).failed(), "stopped, not failed: " + downs.get(0));
        remoteError(sim.failure(counter.actions().total()), Reason.UNAVAILABLE);
        assertTrue(sim.remote(0).isUp(B), "the node itself is still up");
    }

    @Test
    void aNodeWithoutAnyPermissionCannotWatch() {
        network(LinkConditions.PERFECT);
        ActorClient<CounterActions, Tally> counter = connect(AccessPolicy.none());
        counter.onDown(down -> {});
        RemoteActors b = sim.remote(1);
        sim.pumpUntil("B refuses the watch", () -> b.stats().callsRefused() == 1, b::stats);
    }

    @Test
    void aNodeThatGoesOfflineIsDownAtOnce() {
        network(LinkConditions.PERFECT);
        ActorClient<CounterActions, Tally> counter = connect(ALL);
        List<Down> downs = new CopyOnWriteArrayList<>();
        counter.onDown(downs::add);
        CompletableFuture<Integer> outstanding =
                counter.withAskTimeout(Duration.ofMinutes(1)).actions().total();
        sim.network.goOffline(B);
        RemoteCallException down = remoteError(sim.failure(outstanding), Reason.NODE_DOWN);
        assertTrue(down.getMessage().contains("disconnected"), down.getMessage());
        sim.pumpUntil("onDown is told", () -> downs.size() == 1);
        RemoteCallException tell =
                assertThrows(RemoteCallException.class, () -> counter.actions().increment(1));
        assertEquals(Reason.NOT_CONNECTED, tell.reason());
    }

    @Test
    void callsOverALossyReorderingDuplicatingLinkArriveAtMostOnceAndInOrder() {
        network(LinkConditions.builder()
                .latency(Duration.ofMillis(1), Duration.ofMillis(40))
                .lossRate(0.1)
                .duplicationRate(0.1)
                .build());
        ActorClient<CounterActions, Tally> counter = connect(ALL);
        int sent = 500;
        for (int i = 1; i <= sent; i++) {
            counter.actions().record(i);
            if (i % 50 == 0) {
                sim.network.runFor(Duration.ofMillis(10));
            }
        }
        sim.network.runFor(Duration.ofSeconds(2));
        RemoteActors b = sim.remote(1);
        sim.pumpUntil(
                "B's actor took every call B accepted",
                () -> counterOnB().state().recorded() == b.stats().callsServed());
        Tally tally = counterOnB().state();
        assertEquals(0, tally.outOfOrder(), "seed " + seed + ": " + tally);
        assertTrue(tally.recorded() <= sent, "seed " + seed + ": at most once, " + tally);
        assertTrue(tally.recorded() > 0, "seed " + seed + ": " + tally);
        assertTrue(b.stats().outOfOrderDropped() > 0, "seed " + seed + ": reordered or duplicated calls were dropped");
    }

    @Test
    void aStateSubscriptionUnderABurstNeverGoesBackwards() {
        network(LinkConditions.builder()
                .latency(Duration.ofMillis(1), Duration.ofMillis(20))
                .duplicationRate(0.05)
                .build());
        ActorClient<CounterActions, Tally> counter = connect(ALL);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        counter.onState(tally -> seen.add(tally.total()));
        sim.pumpUntil("the snapshot", () -> counter.state() != null);
        int burst = 20_000;
        for (int i = 0; i < burst; i++) {
            counterOnB().actions().increment(1);
            if (i % 1000 == 0) {
                sim.network.runFor(Duration.ofMillis(2));
            }
        }
        sim.pumpUntil(
                "A's cache reaches the end of the burst", () -> counter.state().total() == burst, () -> seen.size());
        sim.pumpUntil("the listener reaches it", () -> seen.contains(burst));
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(
                    seen.get(i) > seen.get(i - 1),
                    "seed " + seed + ": state went from " + seen.get(i - 1) + " to " + seen.get(i));
        }
    }
}
