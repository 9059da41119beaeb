package dev.ensemble.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActorMessagingTest {
    private ActorSystem system;
    private ActorClient<CounterActions, CounterState> counter;

    @BeforeEach
    void start() {
        // Generous: these tests queue tens of thousands of messages, and CI machines may be busy.
        system = ActorSystem.builder("messaging")
                .askTimeout(Duration.ofSeconds(60))
                .add(Counter.TOKEN, Counter::new)
                .start();
        counter = system.client(Counter.TOKEN);
    }

    @AfterEach
    void stop() {
        system.close();
    }

    @Test
    void tellsFromOneSenderArriveInOrder() throws Exception {
        for (int i = 0; i < 5_000; i++) {
            counter.actions().record(Integer.toString(i));
        }
        counter.actions().get().get();
        List<String> log = counter.state().log();
        assertEquals(5_000, log.size());
        for (int i = 0; i < 5_000; i++) {
            assertEquals(Integer.toString(i), log.get(i));
        }
    }

    @Test
    void sixteenThreadsOfTenThousandIncrementsArriveExactly() throws Exception {
        int threads = 16;
        int perThread = 10_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread sender = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    counter.actions().increment();
                }
            });
            sender.start();
            senders.add(sender);
        }
        go.countDown();
        for (Thread sender : senders) {
            sender.join();
        }
        assertEquals(threads * (long) perThread, counter.actions().get().get());
        assertEquals(threads * (long) perThread, counter.state().count());
    }

    @Test
    void askReturnsTheAnswerAndTheSnapshotAlreadyIncludesTheTurn() throws Exception {
        counter.actions().increment();
        counter.actions().increment();
        CompletableFuture<Long> answer = counter.actions().get();
        assertEquals(2L, answer.get());
        assertEquals(2L, counter.state().count());
    }

    @Test
    void aThrowingTellFailsAloneKeepsTheStateAndEmitsAnEvent() throws Exception {
        List<ActorEvent> failures = new CopyOnWriteArrayList<>();
        counter.onEvent(ActorEvent.ACTION_FAILED, failures::add);
        counter.actions().increment();
        for (int i = 0; i < 100; i++) {
            counter.actions().setTwiceThenFail(1000 + i, 2000 + i);
        }
        counter.actions().increment();
        assertEquals(2L, counter.actions().get().get());
        Await.until("100 action-failed events", () -> failures.size() == 100);
        ActionFailed first = (ActionFailed) failures.get(0).payload();
        assertEquals("setTwiceThenFail", first.action());
        assertEquals("refused after setting state", first.cause().getMessage());
        assertEquals("counter", failures.get(0).actor());
    }

    @Test
    void aThrowingAskCompletesExceptionallyWithTheCauseAndTheNextMessageRuns() throws Exception {
        ExecutionException failure = assertThrows(
                ExecutionException.class,
                () -> counter.actions().failingGet("bad question").get());
        assertInstanceOf(IllegalArgumentException.class, failure.getCause());
        assertEquals("bad question", failure.getCause().getMessage());
        counter.actions().increment();
        assertEquals(1L, counter.actions().get().get());
        assertSame(ActorStatus.RUNNING, counter.status());
    }

    @Test
    void anAskThatTimesOutNamesTheActorAndTheAction() {
        ExecutionException failure = assertThrows(
                ExecutionException.class,
                () -> counter.withAskTimeout(Duration.ofMillis(50))
                        .actions()
                        .never()
                        .get());
        assertInstanceOf(TimeoutException.class, failure.getCause());
        String message = failure.getCause().getMessage();
        assertTrue(message.contains("counter.never()"), message);
        assertTrue(message.contains("50 ms"), message);
    }

    @Test
    void aTimeoutFailsOnlyItsOwnAskAndAStopFailsTheAsksStillWaiting() throws Exception {
        CompletableFuture<Long> patient =
                counter.withAskTimeout(Duration.ofSeconds(60)).actions().never();
        CompletableFuture<Long> hasty =
                counter.withAskTimeout(Duration.ofMillis(30)).actions().never();
        ExecutionException timedOut = assertThrows(ExecutionException.class, hasty::get);
        assertInstanceOf(TimeoutException.class, timedOut.getCause());
        for (int i = 0; i < 100; i++) {
            counter.actions().increment();
            assertEquals(i + 1L, counter.actions().get().get());
        }
        assertFalse(patient.isDone(), "an ask with a later deadline must survive the sweeps that expired another");
        system.close();
        ExecutionException stopped = assertThrows(ExecutionException.class, patient::get);
        assertInstanceOf(ActorStoppedException.class, stopped.getCause());
        assertEquals(
                "actor system \"messaging\" stopped before the ask was answered",
                stopped.getCause().getMessage());
    }

    @Test
    void nestedSendsGoToTheTailOfTheMailbox() throws Exception {
        ActorToken<NesterActions, List<String>> token = Nester.TOKEN;
        try (ActorSystem nested =
                ActorSystem.builder("nested").add(token, Nester::new).start()) {
            ActorClient<NesterActions, List<String>> client = nested.client(token);
            CountDownLatch release = new CountDownLatch(1);
            client.actions().block(release);
            client.actions().outer();
            client.actions().after();
            release.countDown();
            Await.until("four entries", () -> client.state().size() == 4);
            assertEquals(List.of("outer-start", "outer-end", "after", "inner"), client.state());
        }
    }

    @Test
    void stateIsConfinedToTheActorsTurn() throws Exception {
        Counter[] leaked = new Counter[1];
        try (ActorSystem leaky = ActorSystem.builder("leaky")
                .add(Counter.TOKEN, () -> {
                    Counter c = new Counter();
                    leaked[0] = c;
                    return c;
                })
                .start()) {
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> leaked[0].state());
            assertTrue(
                    error.getMessage()
                            .startsWith("state() of actor \"counter\" called on thread \""
                                    + Thread.currentThread().getName() + "\" outside the actor's turn"),
                    error.getMessage());
            assertThrows(IllegalStateException.class, () -> leaked[0].setState(new CounterState(9, List.of())));
            assertEquals(0L, leaky.client(Counter.TOKEN).actions().get().get());
        }
    }

    @Test
    void callsToAStoppedActorFailFast() throws Exception {
        system.stop(Duration.ofSeconds(5));
        ActorStoppedException tell = assertThrows(
                ActorStoppedException.class, () -> counter.actions().increment());
        assertEquals("actor \"counter\" is stopped: tell increment() refused", tell.getMessage());
        ExecutionException ask = assertThrows(
                ExecutionException.class, () -> counter.actions().get().get());
        assertInstanceOf(ActorStoppedException.class, ask.getCause());
        assertSame(ActorStatus.STOPPED, counter.status());
    }

    @Test
    void shutdownRunsMessagesAlreadyInFlightAndRefusesTheRest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        counter.actions().block(release);
        List<CompletableFuture<Long>> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            counter.actions().increment();
            answers.add(counter.actions().get());
        }
        Thread stopper = new Thread(() -> system.stop(Duration.ofSeconds(10)));
        stopper.start();
        Await.until(
                "the stop request to queue behind the 200 waiting messages",
                () -> system.actors().get(0).mailboxDepth() == 201);
        assertEquals(0L, counter.state().count());
        release.countDown();
        stopper.join();
        for (int i = 0; i < 100; i++) {
            assertEquals(i + 1L, answers.get(i).get());
        }
        assertEquals(100L, counter.state().count());
        assertThrows(ActorStoppedException.class, () -> counter.actions().increment());
    }
}
