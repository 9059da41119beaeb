package dev.ensemble.core;

import java.time.Duration;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * limited, so a busy pair cannot starve the actors queued behind it; other workers steal those.
 */
final class SharedPoolDispatcher implements Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SharedPoolDispatcher.class);
    /** How many actors in a row may run through one worker's run-next slot. */
    private static final int MAX_RUN_NEXT_CHAIN = 256;

    private final ForkJoinPool pool;
    private final int throughput;

    SharedPoolDispatcher(String systemName, int parallelism, int throughput) {
        this.throughput = throughput;
        AtomicInteger workers = new AtomicInteger();
        this.pool = new ForkJoinPool(parallelism,
                pool -> new Worker(pool, "ensemble-" + systemName + "-worker-" + workers.incrementAndGet()),
                (thread, error) -> LOG.error("uncaught error on {}", thread.getName(), error), true);
    }

    ForkJoinPool pool() {
        return pool;
    }

    @Override
    public void schedule(ActorCell<?> cell) {
        if (Thread.currentThread() instanceof Worker worker && worker.getPool() == pool
                && worker.inTurnLoop && worker.runNext == null) {
            worker.runNext = cell;
            return;
        }
        pool.execute(new TurnTask(cell));
    }

    @Override
    public void reschedule(ActorCell<?> cell) {
        pool.execute(new TurnTask(cell));
    }

    @Override
    public int throughput() {
        return throughput;
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
        private final ActorCell<?> cell;

        TurnTask(ActorCell<?> cell) {
            this.cell = cell;
        }

        @Override
        public void run() {
            Worker worker = (Worker) Thread.currentThread();
            worker.inTurnLoop = true;
            try {
                cell.run();
                for (int chained = 0; chained < MAX_RUN_NEXT_CHAIN; chained++) {
                    ActorCell<?> next = worker.runNext;
                    if (next == null) {
                        return;
                    }
                    worker.runNext = null;
                    next.run();
                }
            } finally {
                worker.inTurnLoop = false;
                ActorCell<?> left = worker.runNext;
                if (left != null) {
                    worker.runNext = null;
                    pool.execute(new TurnTask(left));
                }
            }
        }
    }

    /** A pool thread with a run-next slot; both fields are owned by the thread itself. */
    private static final class Worker extends ForkJoinWorkerThread {
        ActorCell<?> runNext;
        boolean inTurnLoop;

        Worker(ForkJoinPool pool, String name) {
            super(pool);
            setName(name);
            setDaemon(true);
        }
    }
}
