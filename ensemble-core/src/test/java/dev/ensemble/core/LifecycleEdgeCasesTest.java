package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.mailbox.MailboxConfig;
import dev.ensemble.core.mailbox.OverflowPolicy;
import dev.ensemble.core.monitor.ActorMonitor;
import dev.ensemble.core.supervision.SupervisorStrategy;
import dev.ensemble.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Stop, restart and capacity corner cases found in review; each once left an actor broken. */
class LifecycleEdgeCasesTest {
    interface TickerActions {
        void work();

        void hold(CountDownLatch entered, CountDownLatch release) throws InterruptedException;

        void breakDown();
    }

    /** Ticks every 2 ms from its start hook; counts starts, stops and ticks. */
    static final class Ticker extends Actor<Integer> implements TickerActions {
        private final AtomicInteger ticks;
        private final List<String> lifecycle;

        Ticker(AtomicInteger ticks, List<String> lifecycle) {
            super(0);
            this.ticks = ticks;
            this.lifecycle = lifecycle;
        }

        @Override
        protected void onStart() {
            lifecycle.add("start");
            scheduleAtFixedRate(Duration.ofMillis(2), Duration.ofMillis(2), ticks::incrementAndGet);
        }

        @Override
        protected void onStop() {
            lifecycle.add("stop");
        }

        @Override
        public void work() {}

        @Override
        public void hold(CountDownLatch entered, CountDownLatch release) throws InterruptedException {
            entered.countDown();
            release.await();
        }

        @Override
        public void breakDown() {
            throw crash(new IllegalStateException("broken"));
        }
    }

    private static final ActorToken<TickerActions, Integer> TICKER =
            ActorToken.of("ticker", TickerActions.class, Integer.class);

    @Test
    void aStopIsNeverDroppedByAFullDropOldestMailbox() throws Exception {
        List<String> lifecycle = new CopyOnWriteArrayList<>();
        try (ActorSystem system = ActorSystem.builder("stop-drop").start()) {
            ActorClient<TickerActions, Integer> ticker = system.spawn(
                    TICKER,
                    () -> new Ticker(new AtomicInteger(), lifecycle),
                    ActorProps.defaults().withMailbox(MailboxConfig.bounded(2, OverflowPolicy.DROP_OLDEST)));
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ticker.actions().hold(entered, release);
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<Void> stopped = system.stop(TICKER);
            for (int i = 0; i < 10; i++) {
                ticker.actions().work();
            }
            release.countDown();
            stopped.get(10, TimeUnit.SECONDS);
            Await.until("the actor to stop", () -> ticker.status() == ActorStatus.STOPPED);
            assertEquals(List.of("start", "stop"), lifecycle);
        }
    }

    @Test
    void periodicTimersKeepTickingThroughAFullMailbox() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        try (ActorSystem system = ActorSystem.builder("tick-full")
                .add(
                        TICKER,
                        () -> new Ticker(ticks, new CopyOnWriteArrayList<>()),
                        ActorProps.defaults().withMailbox(MailboxConfig.bounded(1, OverflowPolicy.FAIL_SENDER)))
                .start()) {
            ActorClient<TickerActions, Integer> ticker = system.client(TICKER);
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ticker.actions().hold(entered, release);
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            ticker.actions().work();
            assertThrows(MailboxOverflowException.class, () -> ticker.actions().work());
            release.countDown();
            int after = ticks.get();
            Await.until("ticks to continue after the mailbox was full", () -> ticks.get() > after + 5);
        }
    }

    @Test
    void stoppingAnActorWaitingInBackoffDoesNotRestartItFirst() throws Exception {
        List<String> lifecycle = new CopyOnWriteArrayList<>();
        ActorSystem system = ActorSystem.builder("stop-backoff")
                .add(
                        TICKER,
                        () -> new Ticker(new AtomicInteger(), lifecycle),
                        ActorProps.defaults()
                                .withSupervision(SupervisorStrategy.restart()
                                        .withBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30), 0)))
                .start();
        ActorClient<TickerActions, Integer> ticker = system.client(TICKER);
        ticker.actions().breakDown();
        Await.until("the restart to wait", () -> ticker.status() == ActorStatus.RESTARTING);
        assertTrue(system.stop(Duration.ofSeconds(5)));
        assertEquals(ActorStatus.STOPPED, ticker.status());
        assertEquals(List.of("start", "stop"), lifecycle);
    }

    @Test
    void anActorNeverComesBackFromStoppedAfterItsStartTimedOut() {
        List<ActorStatus> statuses = new CopyOnWriteArrayList<>();
        CountDownLatch slowStart = new CountDownLatch(1);
        ActorSystemException error = assertThrows(
                ActorSystemException.class,
                () -> ActorSystem.builder("slow")
                        .startTimeout(Duration.ofMillis(100))
                        .monitor(new ActorMonitor() {
                            @Override
                            public void onStatusChanged(String actor, ActorStatus status, Throwable cause) {
                                statuses.add(status);
                            }
                        })
                        .add(Counter.TOKEN, () -> new Counter() {
                            @Override
                            protected void onStart() throws Exception {
                                slowStart.await(2, TimeUnit.SECONDS);
                            }
                        })
                        .start());
        assertEquals("actor \"counter\" did not start within 100 ms", error.getMessage());
        slowStart.countDown();
        assertEquals(List.of(ActorStatus.STOPPED), statuses);
    }

    @Test
    void aVeryLargeRestartLimitWorks() throws Exception {
        try (ActorSystem system = ActorSystem.builder("many-restarts")
                .add(
                        Counter.TOKEN,
                        Counter::new,
                        ActorProps.defaults()
                                .withSupervision(SupervisorStrategy.restart()
                                        .withLimit(Integer.MAX_VALUE, Duration.ofSeconds(1))))
                .start()) {
            ActorClient<CounterActions, CounterState> counter = system.client(Counter.TOKEN);
            for (int i = 0; i < 20; i++) {
                counter.actions().crash("again " + i);
            }
            counter.actions().increment();
            assertEquals(1L, counter.actions().get().get());
        }
    }

    @Test
    void aThrowingCallbackExecutorDoesNotFailTheActorsTurn() throws Exception {
        try (ActorSystem system = ActorSystem.builder("bad-executor")
                .add(Counter.TOKEN, Counter::new)
                .start()) {
            ActorClient<CounterActions, CounterState> counter = system.client(Counter.TOKEN);
            counter.withCallbackExecutor(task -> {
                        throw new IllegalStateException("toolkit has exited");
                    })
                    .onState(state -> {});
            List<Long> seen = new CopyOnWriteArrayList<>();
            counter.onState(state -> seen.add(state.count()));
            List<ActorEvent> failures = new CopyOnWriteArrayList<>();
            counter.onEvent(ActorEvent.ACTION_FAILED, failures::add);
            counter.actions().increment();
            assertEquals(1L, counter.actions().get().get());
            Await.until("the healthy listener", () -> seen.size() == 1);
            assertTrue(failures.isEmpty(), "no action failed: " + failures);
        }
    }

    @Test
    void oneShotTimersThatFiredAreForgotten() throws Exception {
        try (ActorSystem system = ActorSystem.builder("timer-leak")
                .add(TimersTest.CLOCK, () -> new TimersTest.Clock(new AtomicInteger()))
                .start()) {
            ActorClient<TimersTest.ClockActions, List<String>> clock = system.client(TimersTest.CLOCK);
            for (int i = 0; i < 200; i++) {
                clock.actions().once(0, "t" + i);
            }
            Await.until("all timers", () -> clock.state().size() == 200);
        }
    }
}
