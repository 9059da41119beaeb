package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TimersTest {
    interface ClockActions {
        void once(long delayMillis, String label);

        void lateThenEarly();

        void every(long periodMillis);

        void cancelEvery();

        void fetch(CompletableFuture<String> result);

        void fromForeignThread();

        CompletableFuture<List<String>> log();
    }

    static final ActorToken<ClockActions, List<String>> CLOCK = ActorToken.of("clock", ClockActions.class, listClass());

    @SuppressWarnings("unchecked")
    static Class<List<String>> listClass() {
        return (Class<List<String>>) (Class<?>) List.class;
    }

    /** Each run of a timer, piped result or foreign callback is appended to the state, in turn. */
    static final class Clock extends Actor<List<String>> implements ClockActions {
        private final AtomicInteger ticksOutside;
        private Cancellable periodic;
        private int ticks;

        Clock(AtomicInteger ticksOutside) {
            super(List.of());
            this.ticksOutside = ticksOutside;
        }

        private void add(String entry) {
            List<String> next = new ArrayList<>(state());
            next.add(entry);
            setState(List.copyOf(next));
        }

        @Override
        public void once(long delayMillis, String label) {
            scheduleOnce(Duration.ofMillis(delayMillis), () -> add(label));
        }

        @Override
        public void lateThenEarly() {
            scheduleOnce(Duration.ofMillis(150), () -> add("late"));
            scheduleOnce(Duration.ofMillis(10), () -> add("early"));
        }

        @Override
        public void every(long periodMillis) {
            periodic = scheduleAtFixedRate(Duration.ZERO, Duration.ofMillis(periodMillis), () -> {
                ticks++;
                ticksOutside.incrementAndGet();
                add("tick " + ticks);
            });
        }

        @Override
        public void cancelEvery() {
            periodic.cancel();
            add("cancelled");
        }

        @Override
        public void fetch(CompletableFuture<String> result) {
            pipeToSelf(
                    result,
                    (value, error) -> add(error == null ? "piped " + value : "piped failure " + error.getMessage()));
        }

        @Override
        public void fromForeignThread() {
            java.util.concurrent.Executor mailbox = mailboxExecutor();
            Thread foreign = new Thread(() -> mailbox.execute(() -> add("callback in turn")), "native-callback");
            foreign.start();
        }

        @Override
        public CompletableFuture<List<String>> log() {
            return reply(state());
        }
    }

    @Test
    void oneShotTimersRunInTheActorsTurnInDeadlineOrder() throws Exception {
        try (ActorSystem system = ActorSystem.builder("timers")
                .add(CLOCK, () -> new Clock(new AtomicInteger()))
                .start()) {
            ActorClient<ClockActions, List<String>> clock = system.client(CLOCK);
            clock.actions().lateThenEarly();
            Await.until("both timers", () -> clock.state().size() == 2);
            assertEquals(List.of("early", "late"), clock.state());
        }
    }

    @Test
    void fixedRateTimersTickUntilCancelled() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        try (ActorSystem system =
                ActorSystem.builder("rate").add(CLOCK, () -> new Clock(ticks)).start()) {
            ActorClient<ClockActions, List<String>> clock = system.client(CLOCK);
            clock.actions().every(5);
            Await.until("five ticks", () -> clock.state().size() >= 5);
            clock.actions().cancelEvery();
            List<String> atCancel = Await.value("the cancel", () -> {
                List<String> log = clock.state();
                return log.contains("cancelled") ? log : null;
            });
            clock.actions().once(50, "marker");
            Await.until("a later timer", () -> clock.state().contains("marker"));
            List<String> after = clock.state();
            assertEquals(atCancel.size() + 1, after.size(), "no tick may run after cancel: " + after);
            assertEquals("tick 1", after.get(0));
        }
    }

    @Test
    void timersAreCancelledWhenTheActorStops() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        ActorSystem system = ActorSystem.builder("stop-timers")
                .add(CLOCK, () -> new Clock(ticks))
                .start();
        ActorClient<ClockActions, List<String>> clock = system.client(CLOCK);
        clock.actions().every(1);
        Await.until("some ticks", () -> ticks.get() >= 3);
        system.stop(Duration.ofSeconds(5));
        int atStop = ticks.get();
        ActorSystem witness = ActorSystem.builder("witness")
                .add(CLOCK, () -> new Clock(new AtomicInteger()))
                .start();
        try {
            ActorClient<ClockActions, List<String>> other = witness.client(CLOCK);
            other.actions().once(100, "100 ms later");
            Await.until("time to pass", () -> other.state().size() == 1);
        } finally {
            witness.close();
        }
        assertEquals(atStop, ticks.get(), "a stopped actor's timer ran");
    }

    @Test
    void pipedResultsAndForeignCallbacksComeBackThroughTheMailbox() throws Exception {
        try (ActorSystem system = ActorSystem.builder("pipe")
                .add(CLOCK, () -> new Clock(new AtomicInteger()))
                .start()) {
            ActorClient<ClockActions, List<String>> clock = system.client(CLOCK);
            CompletableFuture<String> ok = new CompletableFuture<>();
            CompletableFuture<String> bad = new CompletableFuture<>();
            clock.actions().fetch(ok);
            clock.actions().fetch(bad);
            clock.actions().fromForeignThread();
            new Thread(() -> ok.complete("42")).start();
            new Thread(() -> bad.completeExceptionally(new IllegalStateException("offline"))).start();
            Await.until("three entries", () -> clock.state().size() == 3);
            List<String> log = clock.state();
            assertTrue(
                    log.containsAll(List.of("piped 42", "piped failure offline", "callback in turn")), log.toString());
        }
    }

    @Test
    void listenersSeeTimerChanges() throws Exception {
        try (ActorSystem system = ActorSystem.builder("timer-listen")
                .add(CLOCK, () -> new Clock(new AtomicInteger()))
                .start()) {
            ActorClient<ClockActions, List<String>> clock = system.client(CLOCK);
            List<List<String>> seen = new CopyOnWriteArrayList<>();
            clock.onState(seen::add);
            clock.actions().once(1, "fired");
            Await.until("the notification", () -> seen.size() == 1);
            assertEquals(List.of("fired"), seen.get(0));
        }
    }
}
