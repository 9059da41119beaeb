package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.testkit.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListenersTest {
    private ActorSystem system;
    private ActorClient<CounterActions, CounterState> counter;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("listeners")
                .askTimeout(java.time.Duration.ofSeconds(60))
                .add(Counter.TOKEN, Counter::new)
                .start();
        counter = system.client(Counter.TOKEN);
    }

    @AfterEach
    void stop() {
        system.close();
    }

    @Test
    void severalSetStatesInOneTurnAreOneNotification() throws Exception {
        List<Long> seen = new CopyOnWriteArrayList<>();
        counter.onState(state -> seen.add(state.count()));
        counter.actions().setTwiceThenFail(5, 6);
        counter.actions().increment();
        counter.actions().increment();
        counter.actions().get().get();
        Await.until("two notifications", () -> seen.size() == 2);
        assertEquals(List.of(1L, 2L), seen, "the failed turn must publish nothing");
    }

    @Test
    void noNotificationWhenNothingChanged() throws Exception {
        List<CounterState> seen = new CopyOnWriteArrayList<>();
        counter.onState(seen::add);
        counter.actions().noChange();
        counter.actions().sameValue();
        counter.actions().increment();
        counter.actions().get().get();
        Await.until("the increment's notification", () -> seen.size() == 1);
        assertEquals(1L, seen.get(0).count());
        counter.actions().noChange();
        counter.actions().get().get();
        assertEquals(1, seen.size());
    }

    @Test
    void listenersSeeEveryStateInOrderAndTheCacheNeverGoesBackwards() throws Exception {
        List<Long> seen = new CopyOnWriteArrayList<>();
        counter.onState(state -> seen.add(state.count()));
        long[] lastRead = {0};
        Thread reader = new Thread(() -> {
            while (lastRead[0] < 10_000) {
                long now = counter.state().count();
                if (now < lastRead[0]) {
                    throw new AssertionError("cache went backwards from " + lastRead[0] + " to " + now);
                }
                lastRead[0] = now;
            }
        });
        reader.start();
        for (int i = 0; i < 10_000; i++) {
            counter.actions().increment();
        }
        reader.join(10_000);
        Await.until("10,000 notifications", () -> seen.size() == 10_000);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(i + 1L, seen.get(i));
        }
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthers() throws Exception {
        List<Long> good = new CopyOnWriteArrayList<>();
        counter.onState(state -> {
            throw new IllegalStateException("bad listener");
        });
        counter.onState(state -> good.add(state.count()));
        counter.actions().increment();
        counter.actions().increment();
        Await.until("both notifications at the good listener", () -> good.size() == 2);
        assertEquals(List.of(1L, 2L), good);
    }

    @Test
    void listenersRunOnTheChosenExecutorAndAsksCompleteThere() throws Exception {
        ExecutorService ui = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-ui-thread"));
        try {
            List<String> threads = new CopyOnWriteArrayList<>();
            ActorClient<CounterActions, CounterState> onUi = counter.withCallbackExecutor(ui);
            onUi.onState(state -> threads.add(Thread.currentThread().getName()));
            onUi.onEvent(
                    event -> threads.add("event on " + Thread.currentThread().getName()));
            counter.actions().increment();
            counter.actions().fail("for an event");
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            counter.actions().block(release);
            CompletableFuture<String> askThreadName =
                    onUi.actions().get().thenApply(v -> Thread.currentThread().getName());
            release.countDown();
            String askThread = askThreadName.get();
            assertEquals("fake-ui-thread", askThread);
            Await.until("a state and an event notification", () -> threads.size() == 2);
            assertEquals(List.of("fake-ui-thread", "event on fake-ui-thread"), threads);
        } finally {
            ui.shutdownNow();
        }
    }

    @Test
    void cancellingASubscriptionStopsDeliveries() throws Exception {
        List<Long> seen = new CopyOnWriteArrayList<>();
        Subscription subscription = counter.onState(state -> seen.add(state.count()));
        counter.actions().increment();
        Await.until("the first notification", () -> seen.size() == 1);
        subscription.cancel();
        counter.actions().increment();
        counter.actions().get().get();
        List<Long> control = new CopyOnWriteArrayList<>();
        counter.onState(state -> control.add(state.count()));
        counter.actions().increment();
        Await.until("the control listener", () -> control.size() == 1);
        assertEquals(List.of(1L), seen);
    }

    @Test
    void reactionsToADependencyRunInTheReactorsTurn() throws Exception {
        ActorToken<MirrorActions, List<String>> mirrorToken = Mirror.TOKEN;
        try (ActorSystem pair = ActorSystem.builder("reactions")
                .add(Counter.TOKEN, Counter::new)
                .add(mirrorToken, Mirror::new, Counter.TOKEN)
                .start()) {
            ActorClient<CounterActions, CounterState> source = pair.client(Counter.TOKEN);
            for (int i = 0; i < 100; i++) {
                source.actions().increment();
            }
            source.actions().fail("provoked");
            ActorClient<MirrorActions, List<String>> mirror = pair.client(mirrorToken);
            Await.until(
                    "the mirror to see 100 states and the failure event",
                    () -> mirror.state().size() == 101);
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                expected.add("state " + i + " in turn");
            }
            expected.add("event action-failed in turn");
            assertEquals(expected, mirror.state());
        }
    }

    interface MirrorActions {
        CompletableFuture<Integer> size();
    }

    /** Records, in its own state, each state and event of the counter it depends on. */
    static final class Mirror extends Actor<List<String>> implements MirrorActions {
        @SuppressWarnings("unchecked")
        static final ActorToken<MirrorActions, List<String>> TOKEN =
                ActorToken.of("mirror", MirrorActions.class, (Class<List<String>>) (Class<?>) List.class);

        Mirror() {
            super(List.of());
        }

        private void add(String entry) {
            List<String> next = new ArrayList<>(state());
            next.add(entry);
            setState(List.copyOf(next));
        }

        @Override
        protected void onStart() {
            reactToState(Counter.TOKEN, state -> add("state " + state.count() + (inTurn() ? " in turn" : " OUTSIDE")));
            reactToEvents(Counter.TOKEN, event -> add("event " + event.name() + (inTurn() ? " in turn" : " OUTSIDE")));
        }

        private boolean inTurn() {
            try {
                state();
                return true;
            } catch (IllegalStateException e) {
                return false;
            }
        }

        @Override
        public CompletableFuture<Integer> size() {
            return reply(state().size());
        }
    }
}
