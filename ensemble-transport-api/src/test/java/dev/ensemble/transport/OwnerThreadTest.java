package dev.ensemble.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OwnerThreadTest {
    private static final long WAIT_SECONDS = 10;

    private OwnerThread owner;

    @AfterEach
    void closeOwner() throws InterruptedException {
        if (owner != null) {
            owner.close();
            assertTrue(owner.awaitTermination(Duration.ofSeconds(WAIT_SECONDS)));
        }
    }

    /** Runs nothing until the returned latch is counted down, so that tasks pile up behind it. */
    private CountDownLatch blockOwner() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        owner.execute(() -> {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(blocked.await(WAIT_SECONDS, TimeUnit.SECONDS), "the owner thread runs the blocking task");
        return release;
    }

    @Test
    void runsTasksOneAtATimeInOrderOnOneNamedThread() throws Exception {
        owner = OwnerThread.start("owner-test");
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            int index = i;
            assertTrue(owner.execute(() -> {
                order.add(index);
                threads.add(Thread.currentThread().getName() + " owner=" + owner.inOwnerThread());
            }));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        owner.execute(() -> done.complete(null));
        done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(100, order.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, order.get(i));
        }
        assertEquals(
                List.of("owner-test owner=true"), threads.stream().distinct().toList());
        assertFalse(owner.inOwnerThread(), "the test thread is not the owner");
        assertEquals("owner-test", owner.name());
    }

    @Test
    void runsADelayedTaskAfterItsDelayUnlessCancelled() throws Exception {
        owner = OwnerThread.start("owner-test");
        // The owner is kept busy until the cancel is done: on a loaded machine the test thread can
        // be descheduled for longer than the 20 ms delay, and the task would run before the cancel.
        CountDownLatch hold = blockOwner();
        long start = System.nanoTime();
        CompletableFuture<Long> ran = new CompletableFuture<>();
        owner.schedule(Duration.ofMillis(50), () -> ran.complete(System.nanoTime()));
        AtomicInteger cancelledRuns = new AtomicInteger();
        Future<?> cancelled = owner.schedule(Duration.ofMillis(20), cancelledRuns::incrementAndGet);
        assertTrue(cancelled.cancel(false));
        hold.countDown();
        assertTrue(ran.get(WAIT_SECONDS, TimeUnit.SECONDS) - start
                >= Duration.ofMillis(50).toNanos());
        // The cancelled task was due before the one that ran; had it run, it would have run first.
        assertEquals(0, cancelledRuns.get());
    }

    @Test
    void aTaskThatThrowsIsReportedAndTheNextTaskRuns() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        owner = OwnerThread.start("owner-test", failures::add);
        IllegalStateException bug = new IllegalStateException("a bug in a task");
        owner.execute(() -> {
            throw bug;
        });
        owner.execute(() -> {
            throw new AssertionError("an error that is not fatal to the JVM");
        });
        CompletableFuture<String> next = new CompletableFuture<>();
        owner.execute(() -> next.complete(Thread.currentThread().getName()));
        assertEquals("owner-test", next.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(2, failures.size());
        assertEquals(bug, failures.get(0));
        assertTrue(failures.get(1) instanceof AssertionError);
    }

    @Test
    void aPeriodicTaskKeepsItsScheduleAfterARunThatThrows() throws Exception {
        owner = OwnerThread.start("owner-test");
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch threeRuns = new CountDownLatch(3);
        Future<?> periodic = owner.scheduleAtFixedRate(Duration.ZERO, Duration.ofMillis(5), () -> {
            threeRuns.countDown();
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("the first run fails");
            }
        });
        assertTrue(threeRuns.await(WAIT_SECONDS, TimeUnit.SECONDS), "runs go on after a failing one");
        periodic.cancel(false);
        assertThrows(
                IllegalArgumentException.class,
                () -> owner.scheduleAtFixedRate(Duration.ZERO, Duration.ZERO, () -> {}));
    }

    @Test
    void ownerOnlyCodeFailsLoudlyOnAnotherThreadNamingBothThreads() throws Exception {
        owner = OwnerThread.start("owner-test");
        IllegalStateException wrongThread =
                assertThrows(IllegalStateException.class, () -> owner.checkOwnerThread("connect()"));
        assertEquals(
                "connect() must run on its owner thread 'owner-test' but ran on '"
                        + Thread.currentThread().getName() + "'; hand it over with execute() or schedule()",
                wrongThread.getMessage());
        CompletableFuture<Boolean> onOwner = new CompletableFuture<>();
        owner.execute(() -> {
            owner.checkOwnerThread("connect()");
            onOwner.complete(true);
        });
        assertTrue(onOwner.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void closeRunsWhatIsQueuedDropsWhatIsDelayedAndRefusesWhatComesLater() throws Exception {
        owner = OwnerThread.start("owner-test");
        CountDownLatch release = blockOwner();
        List<String> ran = new CopyOnWriteArrayList<>();
        owner.execute(() -> ran.add("queued before close"));
        // Far enough out that it is not yet due at close(), however slow this thread is until then.
        owner.schedule(Duration.ofMinutes(10), () -> ran.add("delayed"));
        owner.close();
        assertTrue(owner.isClosed());
        assertFalse(owner.execute(() -> ran.add("after close")), "execute refuses after close");
        assertTrue(owner.schedule(Duration.ZERO, () -> ran.add("scheduled after close"))
                .isCancelled());
        release.countDown();
        assertTrue(owner.awaitTermination(Duration.ofSeconds(WAIT_SECONDS)));
        assertEquals(List.of("queued before close"), ran);
    }

    @Test
    void theOwnerThreadCannotWaitForItsOwnEnd() throws Exception {
        owner = OwnerThread.start("owner-test");
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        owner.execute(() -> {
            owner.close();
            try {
                owner.awaitTermination(Duration.ofSeconds(1));
                refused.complete(null);
            } catch (IllegalStateException | InterruptedException e) {
                refused.complete(e);
            }
        });
        Throwable error = refused.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(error instanceof IllegalStateException, String.valueOf(error));
        assertEquals(
                "owner thread 'owner-test' cannot wait for its own end; call awaitTermination from another thread",
                error.getMessage());
    }
}
