package dev.ensemble.core.internal.dispatch;

import dev.ensemble.core.dispatch.DispatcherSelector;
import java.time.Duration;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default dispatcher: a work-stealing {@link ForkJoinPool} in FIFO mode, one worker per
 * core.
 *
 * <p>When a turn on a worker sends to an idle actor, that actor goes into the worker's
 * <em>run-next slot</em> instead of the pool's queue, and runs on the same worker right after
 * the current turn (as Go's scheduler and Tokio do). A request/reply pair then stays on one
 * warm core without waking another worker for every message. Chains through the slot are
 * limited, so a busy pair cannot starve the actors queued behind it.
 *
 * <p>An actor that used up its throughput with messages still waiting keeps its worker the same
 * way when nothing else is queued in the pool: yielding would only wake an idle worker to steal
 * it, moving the actor (and, for a {@code CollaborationActor}, the native document it works on)
 * to another core every {@code throughput} messages. When anything else is queued, it yields.
 *
 * <p>Yielding is fair to work submitted from outside the pool (a client's tell to an idle actor,
 * a timer): a {@code ForkJoinPool} worker runs its own queue empty before it looks at those, so
 * an actor that keeps rescheduling itself on a busy worker would hold them back until its backlog
 * is gone. A worker that yields therefore first takes one such task into its own queue, ahead of
 * the actor it puts back.
 */
final class SharedPoolDispatcher implements Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SharedPoolDispatcher.class);
    /** How many actors in a row may run through one worker's run-next slot. */
    private static final int MAX_RUN_NEXT_CHAIN = 256;

    private final Pool pool;
    private final int throughput;
    /** Full turns after which the actor kept its worker; written by the workers, read by tests. */
    private final LongAdder keptWorker = new LongAdder();

    SharedPoolDispatcher(String systemName, int parallelism, int throughput) {
        this.throughput = throughput;
        AtomicInteger workers = new AtomicInteger();
        this.pool = new Pool(
                parallelism,
                pool -> new Worker(pool, "ensemble-" + systemName + "-worker-" + workers.incrementAndGet()),
                (thread, error) -> LOG.error("uncaught error on {}", thread.getName(), error));
    }

    ForkJoinPool pool() {
        return pool;
    }

    /** @return how many times an actor that used up its throughput kept its worker */
    long keptWorkerCount() {
        return keptWorker.sum();
    }

    @Override
    public void schedule(Dispatchable actor) {
        if (Thread.currentThread() instanceof Worker worker
                && worker.getPool() == pool
                && worker.inTurnLoop
                && worker.runNext == null) {
            worker.runNext = actor;
            return;
        }
        pool.execute(new TurnTask(actor));
    }

    @Override
    public void reschedule(Dispatchable actor) {
        if (Thread.currentThread() instanceof Worker worker
                && worker.getPool() == pool
                && worker.inTurnLoop
                && worker.runNext == null
                && pool.getQueuedTaskCount() == 0
                && !pool.hasQueuedSubmissions()) {
            // Reading every queue is cheap at one per worker, and happens once per full turn.
            worker.runNext = actor;
            keptWorker.increment();
            return;
        }
        yieldTo(new TurnTask(actor));
    }

    /** Queues a turn that had to give way: behind one task from outside, if one waits. */
    private void yieldTo(TurnTask turn) {
        if (Thread.currentThread() instanceof Worker worker && worker.getPool() == pool) {
            ForkJoinTask<?> fromOutside = pool.takeSubmission();
            if (fromOutside != null) {
                pool.execute(fromOutside);
            }
        }
        pool.execute(turn);
    }

    @Override
    public int throughput() {
        return throughput;
    }

    @Override
    public String name() {
        return DispatcherSelector.SHARED;
    }

    @Override
    public void shutdown(Duration timeout) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one actor's turn, then whatever its turn put into the run-next slot. */
    private final class TurnTask implements Runnable {
        private final Dispatchable actor;

        TurnTask(Dispatchable actor) {
            this.actor = actor;
        }

        @Override
        public void run() {
            Worker worker = (Worker) Thread.currentThread();
            worker.inTurnLoop = true;
            try {
                actor.run();
                for (int chained = 0; chained < MAX_RUN_NEXT_CHAIN; chained++) {
                    Dispatchable next = worker.runNext;
                    if (next == null) {
                        return;
                    }
                    worker.runNext = null;
                    next.run();
                }
            } finally {
                worker.inTurnLoop = false;
                Dispatchable left = worker.runNext;
                if (left != null) {
                    worker.runNext = null;
                    yieldTo(new TurnTask(left));
                }
            }
        }
    }

    /** A FIFO work-stealing pool that lets its own workers take tasks submitted from outside. */
    private static final class Pool extends ForkJoinPool {
        Pool(int parallelism, ForkJoinWorkerThreadFactory factory, Thread.UncaughtExceptionHandler handler) {
            super(parallelism, factory, handler, true);
        }

        /** @return a task submitted from outside the pool and not yet started, or null */
        ForkJoinTask<?> takeSubmission() {
            return pollSubmission();
        }
    }

    /** A pool thread with a run-next slot; both fields are owned by the thread itself. */
    private static final class Worker extends ForkJoinWorkerThread {
        Dispatchable runNext;
        boolean inTurnLoop;

        Worker(ForkJoinPool pool, String name) {
            super(pool);
            setName(name);
            setDaemon(true);
        }
    }
}
