package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.supervision.SupervisorStrategy;
import dev.ensemble.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SupervisionTest {
    @Test
    void aCrashRestartsWithFreshStateAndTheClientKeepsWorking() throws Exception {
        AtomicInteger instances = new AtomicInteger();
        try (ActorSystem system = ActorSystem.builder("restart")
                .add(Counter.TOKEN, () -> {
                    instances.incrementAndGet();
                    return new Counter();
                })
                .start()) {
            ActorClient<CounterActions, CounterState> counter = system.client(Counter.TOKEN);
            counter.actions().increment();
            counter.actions().increment();
            counter.actions().crash("corrupt");
            counter.actions().increment();
            assertEquals(1L, counter.actions().get().get());
            assertEquals(2, instances.get());
            assertSame(ActorStatus.RUNNING, counter.status());
        }
    }

    @Test
    void anErrorInATurnIsAFailureButAnExceptionIsNot() throws Exception {
        AtomicInteger instances = new AtomicInteger();
        try (ActorSystem system = ActorSystem.builder("errors")
                .add(
                        Counter.TOKEN,
                        () -> {
                            instances.incrementAndGet();
                            return new Counter();
                        },
                        ActorProps.defaults()
                                .withSupervision(SupervisorStrategy.restart().withLimit(100, Duration.ofSeconds(5))))
                .start()) {
            ActorClient<CounterActions, CounterState> counter = system.client(Counter.TOKEN);
            for (int i = 0; i < 50; i++) {
                counter.actions().fail("just this message");
            }
            counter.actions().increment();
            assertEquals(1L, counter.actions().get().get());
            assertEquals(1, instances.get(), "exceptions must not restart the actor");
        }
    }

    @Test
    void pastTheIntensityLimitTheActorStopsAndWatchersAreToldTheCause() throws Exception {
        List<Down> downs = new CopyOnWriteArrayList<>();
        try (ActorSystem system = ActorSystem.builder("intensity")
                .add(
                        Counter.TOKEN,
                        Counter::new,
                        ActorProps.defaults()
                                .withSupervision(SupervisorStrategy.restart().withLimit(2, Duration.ofSeconds(30))))
                .start()) {
            ActorClient<CounterActions, CounterState> counter = system.client(Counter.TOKEN);
            counter.onDown(downs::add);
            counter.actions().crash("one");
            counter.actions().crash("two");
            assertEquals(0L, counter.actions().get().get());
            assertSame(ActorStatus.RUNNING, counter.status());
            CompletableFuture<Long> pending =
                    counter.withAskTimeout(Duration.ofSeconds(30)).actions().get();
            counter.actions().crash("three");
            Await.until("a down signal", () -> downs.size() == 1);
            assertEquals("counter", downs.get(0).actor());
            assertEquals("three", downs.get(0).cause().getMessage());
            assertSame(ActorStatus.STOPPED, counter.status());
            assertEquals(0L, pending.get(), "the ask queued before the fatal crash ran on the restarted instance");
            assertThrows(ActorStoppedException.class, () -> counter.actions().increment());
        }
    }

    @Test
    void theDefaultIntensityIsOneRestartInFiveSeconds() throws Exception {
        try (ActorSystem system =
                ActorSystem.builder("otp").add(Counter.TOKEN, Counter::new).start()) {
            ActorClient<CounterActions, CounterState> counter = system.client(Counter.TOKEN);
            counter.actions().crash("first");
            assertEquals(0L, counter.actions().get().get());
            counter.actions().crash("second");
            Await.until("the actor to stop", () -> counter.status() == ActorStatus.STOPPED);
        }
    }

    @Test
    void restartsBackOffExponentiallyAndMessagesWaitMeanwhile() throws Exception {
        List<Long> startTimes = new CopyOnWriteArrayList<>();
        SupervisorStrategy strategy = SupervisorStrategy.restart()
                .withLimit(10, Duration.ofSeconds(60))
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(400), 0);
        try (ActorSystem system = ActorSystem.builder("backoff")
                .add(
                        Counter.TOKEN,
                        () -> new Counter() {
                            @Override
                            protected void onStart() {
                                startTimes.add(System.nanoTime());
                            }
                        },
                        ActorProps.defaults().withSupervision(strategy))
                .start()) {
            ActorClient<CounterActions, CounterState> counter = system.client(Counter.TOKEN);
            for (int i = 0; i < 4; i++) {
                counter.actions().crash("again");
                counter.actions().increment();
                assertEquals(
                        1L,
                        counter.withAskTimeout(Duration.ofSeconds(10))
                                .actions()
                                .get()
                                .get());
            }
            assertEquals(5, startTimes.size());
            long[] expectedMinimumMillis = {100, 200, 400, 400};
            for (int i = 0; i < 4; i++) {
                long gapMillis = (startTimes.get(i + 1) - startTimes.get(i)) / 1_000_000;
                assertTrue(
                        gapMillis >= expectedMinimumMillis[i],
                        "restart " + (i + 1) + " came after " + gapMillis + " ms, expected >= "
                                + expectedMinimumMillis[i]);
            }
        }
    }

    @Test
    void theStopStrategyStopsAtTheFirstFailureAndPendingAsksFail() throws Exception {
        try (ActorSystem system = ActorSystem.builder("stop")
                .add(Counter.TOKEN, Counter::new, ActorProps.defaults().withSupervision(SupervisorStrategy.stop()))
                .start()) {
            ActorClient<CounterActions, CounterState> counter = system.client(Counter.TOKEN);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            counter.actions().block(release);
            counter.actions().crash("fatal");
            CompletableFuture<Long> queued = counter.actions().get();
            release.countDown();
            ExecutionException failure = assertThrows(ExecutionException.class, queued::get);
            assertInstanceOf(ActorStoppedException.class, failure.getCause());
            assertEquals(
                    "actor \"counter\" stopped before get ran",
                    failure.getCause().getMessage());
        }
    }

    @Test
    void anActorWatchingADependencyReactsInItsOwnTurn() throws Exception {
        ActorToken<WatcherActions, String> watcherToken = ActorToken.of("watcher", WatcherActions.class, String.class);
        try (ActorSystem system = ActorSystem.builder("watch")
                .add(Counter.TOKEN, Counter::new, ActorProps.defaults().withSupervision(SupervisorStrategy.stop()))
                .add(watcherToken, Watcher::new, Counter.TOKEN)
                .start()) {
            system.client(Counter.TOKEN).actions().crash("gone");
            ActorClient<WatcherActions, String> watcher = system.client(watcherToken);
            Await.until(
                    "the watcher to record the down signal",
                    () -> watcher.state().startsWith("down"));
            assertEquals("down counter: gone", watcher.state());
        }
    }

    interface WatcherActions {
        void ignore();
    }

    static final class Watcher extends Actor<String> implements WatcherActions {
        Watcher() {
            super("watching");
        }

        @Override
        protected void onStart() {
            watch(Counter.TOKEN);
        }

        @Override
        protected void onDown(Down down) {
            setState("down " + down.actor() + ": " + down.cause().getMessage());
        }

        @Override
        public void ignore() {}
    }
}
