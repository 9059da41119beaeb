package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.dispatch.DispatcherSelector;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DispatchersTest {
    interface ThreadActions {
        CompletableFuture<String> threadName();

        void remember();

        /** Blocks the turn until the latch opens. */
        void hold(CountDownLatch latch);

        /** Adds the current thread's name to the state's set of threads. */
        void note();

        /** Counts one more message. */
        void count(AtomicInteger counter);

        /** @return the counter as this turn sees it */
        CompletableFuture<Integer> read(AtomicInteger counter);

        /** Counts one hit and sends the ball back to {@code partner} until none remain. */
        void rally(ThreadActions partner, int remaining, AtomicInteger counter);
    }

    static final class ThreadReporter extends Actor<String> implements ThreadActions {
        ThreadReporter() {
            super("");
        }

        @Override
        public CompletableFuture<String> threadName() {
            return reply(Thread.currentThread().getName());
        }

        @Override
        public void remember() {
            setState(Thread.currentThread().getName());
        }

        @Override
        public void hold(CountDownLatch latch) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void count(AtomicInteger counter) {
            counter.incrementAndGet();
        }

        @Override
        public CompletableFuture<Integer> read(AtomicInteger counter) {
            return reply(counter.get());
        }

        @Override
        public void rally(ThreadActions partner, int remaining, AtomicInteger counter) {
            counter.incrementAndGet();
            if (remaining > 0) {
                partner.rally(this.<ThreadActions>self().actions(), remaining - 1, counter);
            }
        }

        @Override
        public void note() {
            String thread = Thread.currentThread().getName();
            if (!state().contains("[" + thread + "]")) {
                setState(state() + "[" + thread + "]");
            }
        }
    }

    private static ActorToken<ThreadActions, String> token(String name) {
        return ActorToken.of(name, ThreadActions.class, String.class);
    }

    @Test
    void eachDispatcherRunsTurnsWhereItPromises() throws Exception {
        ActorToken<ThreadActions, String> pooled = token("pooled");
        ActorToken<ThreadActions, String> audio = token("audio");
        ActorToken<ThreadActions, String> inline = token("inline");
        try (ActorSystem system = ActorSystem.builder("threads")
                .add(pooled, ThreadReporter::new)
                .add(audio, ThreadReporter::new, ActorProps.defaults().withDispatcher(DispatcherSelector.dedicated()))
                .add(
                        inline,
                        ThreadReporter::new,
                        ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread()))
                .start()) {
            assertTrue(system.client(pooled).actions().threadName().get().startsWith("ensemble-threads-worker-"));
            assertEquals(
                    "ensemble-threads-audio",
                    system.client(audio).actions().threadName().get());
            assertEquals(
                    "ensemble-threads-audio",
                    system.client(audio).actions().threadName().get());
            system.client(inline).actions().remember();
            assertEquals(
                    Thread.currentThread().getName(),
                    system.client(inline).state(),
                    "the calling-thread dispatcher must have run the turn before tell() returned");
            assertEquals(
                    List.of("shared", "dedicated", "calling-thread"),
                    system.actors().stream().map(ActorInfo::dispatcher).toList());
        }
    }

    @Test
    void aBackloggedActorKeepsItsWorkerWhileNothingElseWaits() throws Exception {
        ActorToken<ThreadActions, String> busy = token("busy");
        try (ActorSystem system = ActorSystem.builder("backlog")
                .parallelism(2)
                .throughput(4)
                .add(busy, ThreadReporter::new)
                .start()) {
            ThreadActions actions = system.client(busy).actions();
            CountDownLatch release = new CountDownLatch(1);
            actions.hold(release);
            for (int i = 0; i < 200; i++) {
                actions.note();
            }
            CompletableFuture<String> done = actions.threadName();
            long keptBefore = system.dispatchers().keptWorkerCount();
            release.countDown();
            done.get(10, TimeUnit.SECONDS);
            // 202 messages at 4 per turn: 50 full turns with messages still waiting and nothing
            // else queued in the pool, each followed by the next on the same worker.
            assertEquals(50, system.dispatchers().keptWorkerCount() - keptBefore);
            String threads = system.client(busy).state();
            assertEquals(
                    1,
                    threads.chars().filter(c -> c == '[').count(),
                    "the backlog must have run on one worker, ran on " + threads);
        }
    }

    @Test
    void aBackloggedActorYieldsToAnActorQueuedBehindIt() throws Exception {
        ActorToken<ThreadActions, String> busy = token("busy");
        ActorToken<ThreadActions, String> other = token("other");
        try (ActorSystem system = ActorSystem.builder("yield")
                .parallelism(1)
                .throughput(4)
                .add(busy, ThreadReporter::new)
                .add(other, ThreadReporter::new)
                .start()) {
            ThreadActions busyActions = system.client(busy).actions();
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger counted = new AtomicInteger();
            busyActions.hold(release);
            for (int i = 0; i < 10_000; i++) {
                busyActions.count(counted);
            }
            CompletableFuture<Integer> seenByOther =
                    system.client(other).actions().read(counted);
            release.countDown();
            assertTrue(
                    seenByOther.get(10, TimeUnit.SECONDS) < 10_000,
                    "the actor queued behind a backlog of "
                            + "10,000 messages must run before the backlog is done, but ran after it");
        }
    }

    @Test
    void aRallyOnTheOnlyWorkerLetsAnActorFromOutsideIn() throws Exception {
        ActorToken<ThreadActions, String> ping = token("ping");
        ActorToken<ThreadActions, String> pong = token("pong");
        ActorToken<ThreadActions, String> other = token("other");
        try (ActorSystem system = ActorSystem.builder("rally")
                .parallelism(1)
                .add(ping, ThreadReporter::new)
                .add(pong, ThreadReporter::new)
                .add(other, ThreadReporter::new)
                .start()) {
            ThreadActions pingActions = system.client(ping).actions();
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger hits = new AtomicInteger();
            int rally = 1_000_000;
            pingActions.hold(release);
            pingActions.rally(system.client(pong).actions(), rally, hits);
            CompletableFuture<Integer> seenByOther =
                    system.client(other).actions().read(hits);
            release.countDown();
            assertTrue(
                    seenByOther.get(30, TimeUnit.SECONDS) < rally,
                    "an actor told from outside must run " + "while a rally of " + rally
                            + " hits keeps the only worker busy, not after it");
        }
    }

    @Test
    void theCallingThreadDispatcherIsDeterministic() throws Exception {
        try (ActorSystem system = ActorSystem.builder("inline")
                .add(
                        Nester.TOKEN,
                        Nester::new,
                        ActorProps.defaults().withDispatcher(DispatcherSelector.callingThread()))
                .start()) {
            ActorClient<NesterActions, List<String>> nester = system.client(Nester.TOKEN);
            nester.actions().outer();
            assertEquals(List.of("outer-start", "outer-end", "inner"), nester.state());
            nester.actions().after();
            assertEquals(List.of("outer-start", "outer-end", "inner", "after"), nester.state());
        }
    }
}
