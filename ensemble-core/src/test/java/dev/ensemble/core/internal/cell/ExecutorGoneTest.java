package dev.ensemble.core.internal.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.ActorStoppedException;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Down;
import dev.ensemble.core.dispatch.DispatcherSelector;
import dev.ensemble.core.internal.dispatch.Dispatchable;
import dev.ensemble.core.internal.dispatch.Dispatcher;
import dev.ensemble.core.internal.dispatch.Dispatchers;
import dev.ensemble.core.monitor.ActorMonitor;
import dev.ensemble.core.supervision.SupervisorStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A call that races a system's stop: it passed the stopped check while the actor still ran, and
 * by the time it hands the actor to its dispatcher (or registers an ask's timeout), the system
 * has shut those threads down. Each test puts a cell in exactly that state: the cell has not
 * seen a stop, and its dispatcher or the system's timer has been shut down as a closing system
 * shuts them down. The call must fail with the stopped-actor error, never with the executor's
 * {@code RejectedExecutionException}. CloseUnderLoadTest (dev.ensemble.core) races real stops.
 */
class ExecutorGoneTest {
    interface EchoActions {
        void note(String entry);

        CompletableFuture<String> echo(String entry);

        void crash();
    }

    /** Records its lifecycle, so that the tests can see which hooks ran. */
    static final class Echo extends Actor<String> implements EchoActions {
        private final List<String> lifecycle;

        Echo(List<String> lifecycle) {
            super("");
            this.lifecycle = lifecycle;
        }

        @Override
        public void note(String entry) {
            setState(entry);
        }

        @Override
        public CompletableFuture<String> echo(String entry) {
            return reply(entry);
        }

        @Override
        public void crash() {
            throw crash(new IllegalStateException("crashed on purpose"));
        }

        @Override
        protected void onStart() {
            lifecycle.add("start");
        }

        @Override
        protected void onStop() {
            lifecycle.add("stop");
        }
    }

    private static final ActorToken<EchoActions, String> ECHO = ActorToken.of("echo", EchoActions.class, String.class);

    private final List<String> lifecycle = new CopyOnWriteArrayList<>();
    /** Only gives the cells their system: its own threads are not used. */
    private ActorSystem system;

    private Dispatchers dispatchers;
    private SystemServices services;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("gone").start();
        dispatchers = new Dispatchers("gone", 1, 64);
        services = new SystemServices(system, ActorMonitor.NONE, Duration.ofSeconds(30), Runnable::run, cell -> {});
    }

    @AfterEach
    void stop() {
        dispatchers.shutdown(Duration.ZERO);
        services.shutdown();
        system.close();
    }

    static Stream<String> dispatchersThatOwnThreads() {
        return Stream.of(DispatcherSelector.SHARED, DispatcherSelector.DEDICATED);
    }

    /** A cell that has not started; its dispatcher was shut down behind its back. */
    private ActorCell<String> cellWhoseThreadsAreGone(String dispatcherName, ActorProps props) {
        Dispatcher dispatcher = dispatchers.forActor(DispatcherSelector.named(dispatcherName), "echo");
        dispatchers.shutdown(Duration.ZERO);
        return new ActorCell<>(services, ECHO, () -> new Echo(lifecycle), props, dispatcher, Map.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dispatchersThatOwnThreads")
    void aTellWhoseDispatcherIsGoneFailsWithTheStoppedActorError(String dispatcherName) {
        ActorCell<String> cell = cellWhoseThreadsAreGone(dispatcherName, ActorProps.defaults());
        List<Down> downs = new ArrayList<>();
        cell.listeners().addDown(recorder(downs));
        ActorClient<EchoActions, String> client = cell.client();

        ActorStoppedException refused =
                assertThrows(ActorStoppedException.class, () -> client.actions().note("x"));
        assertEquals("actor \"echo\" is stopped: tell note() refused", refused.getMessage());
        assertSame(ActorStatus.STOPPED, cell.status(), "nothing can run the actor any more, so it is stopped");
        assertEquals(0, cell.mailboxSize(), "what waited is refused, not stranded");
        assertEquals(List.of("stop"), lifecycle, "the instance ends, so that it releases what it holds");
        assertEquals(1, downs.size(), "watchers are told");
        assertEquals(
                "actor \"echo\" stopped: its dispatcher no longer runs it (its system is stopping)",
                downs.get(0).cause().getMessage());
        assertThrows(ActorStoppedException.class, () -> client.actions().note("y"), "later calls fail fast");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dispatchersThatOwnThreads")
    void anAskWhoseDispatcherIsGoneReturnsAFutureFailedWithTheStoppedActorError(String dispatcherName) {
        ActorCell<String> cell = cellWhoseThreadsAreGone(dispatcherName, ActorProps.defaults());
        CompletableFuture<String> answer = cell.<EchoActions>client().actions().echo("x");
        CompletionException failed = assertThrows(CompletionException.class, answer::join);
        ActorStoppedException cause = assertInstanceOf(ActorStoppedException.class, failed.getCause());
        assertEquals("actor \"echo\" stopped before echo ran", cause.getMessage());
        assertSame(ActorStatus.STOPPED, cell.status());
    }

    @Test
    void theStartOfAnActorWhoseDispatcherIsGoneFails() {
        ActorCell<String> cell = cellWhoseThreadsAreGone(DispatcherSelector.SHARED, ActorProps.defaults());
        CompletionException failed =
                assertThrows(CompletionException.class, () -> cell.start().join());
        assertInstanceOf(ActorStoppedException.class, failed.getCause());
        assertEquals(List.of("stop"), lifecycle, "onStart never ran; onStop releases what the constructor took");
    }

    @Test
    void theFirstAskAfterTheTimerStoppedFailsWithTheStoppedActorError() {
        Dispatcher running = dispatchers.forActor(DispatcherSelector.shared(), "echo");
        ActorCell<String> cell =
                new ActorCell<>(services, ECHO, () -> new Echo(lifecycle), ActorProps.defaults(), running, Map.of());
        services.shutdown();
        CompletableFuture<String> answer = cell.<EchoActions>client().actions().echo("x");
        CompletionException failed = assertThrows(CompletionException.class, answer::join);
        ActorStoppedException cause = assertInstanceOf(ActorStoppedException.class, failed.getCause());
        assertEquals("actor system \"gone\" stopped before the ask was answered", cause.getMessage());
    }

    @Test
    void aFailureWhoseBackoffCannotBeTimedStopsTheActor() {
        Dispatcher inline = dispatchers.forActor(DispatcherSelector.callingThread(), "echo");
        ActorProps backoff = ActorProps.defaults()
                .withSupervision(
                        SupervisorStrategy.restart().withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
        ActorCell<String> cell = new ActorCell<>(services, ECHO, () -> new Echo(lifecycle), backoff, inline, Map.of());
        List<Down> downs = new ArrayList<>();
        cell.listeners().addDown(recorder(downs));
        cell.start().join();
        services.shutdown();

        cell.<EchoActions>client().actions().crash();
        assertSame(ActorStatus.STOPPED, cell.status(), "no timer will end the backoff, so the actor stops");
        assertEquals(1, downs.size());
        assertEquals("crashed on purpose", downs.get(0).cause().getMessage());
        assertEquals(0, downs.get(0).cause().getSuppressed().length, "the timer's refusal is not an error to report");
        assertEquals(List.of("start", "stop"), lifecycle);
        assertTrue(cell.mailboxSize() == 0);
    }

    private static Listener<Down> recorder(List<Down> downs) {
        return new Listener<>() {
            @Override
            public void deliver(Down down) {
                downs.add(down);
            }

            @Override
            public void cancel() {}
        };
    }

    @Test
    void anActorForceStoppedWhileItsStopWaitsBehindABackoffRunsOnceAndIsNotScheduledAgain() {
        List<Dispatchable> handedOver = new ArrayList<>();
        Dispatcher byHand = new Dispatcher() {
            @Override
            public void schedule(Dispatchable actor) {
                handedOver.add(actor);
            }

            @Override
            public void reschedule(Dispatchable actor) {
                handedOver.add(actor);
            }

            @Override
            public int throughput() {
                return 64;
            }

            @Override
            public String name() {
                return "by-hand";
            }

            @Override
            public void shutdown(Duration timeout) {}
        };
        ActorProps backoff = ActorProps.defaults()
                .withSupervision(
                        SupervisorStrategy.restart().withBackoff(Duration.ofMinutes(1), Duration.ofMinutes(1), 0));
        ActorCell<String> cell = new ActorCell<>(services, ECHO, () -> new Echo(lifecycle), backoff, byHand, Map.of());
        cell.start();
        handedOver.remove(0).run();
        cell.<EchoActions>client().actions().crash();
        handedOver.remove(0).run();
        assertSame(ActorStatus.RESTARTING, cell.status(), "the restart waits out its backoff");

        CompletableFuture<Void> stopped = cell.stopGracefully();
        cell.forceStop("its stop did not finish in time");
        assertEquals(1, handedOver.size(), "the stop woke the actor once");
        handedOver.remove(0).run();
        assertEquals(List.of(), handedOver, "a stopped actor whose restart was pending must not be run again");
        assertTrue(stopped.isDone());
        assertEquals(List.of("start", "stop"), lifecycle, "no restart happened");
    }
}
