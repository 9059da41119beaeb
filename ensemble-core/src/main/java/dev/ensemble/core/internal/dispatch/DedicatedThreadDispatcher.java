package dev.ensemble.core.internal.dispatch;

import dev.ensemble.core.dispatch.DispatcherSelector;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One thread for one actor, named after it: for actors that block, or whose native library
 * must always be called from the same thread.
 */
final class DedicatedThreadDispatcher implements Dispatcher {
    private final ExecutorService thread;
    private final int throughput;

    DedicatedThreadDispatcher(String systemName, String actorName, int throughput) {
        this.throughput = throughput;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread t = new Thread(runnable, "ensemble-" + systemName + "-" + actorName);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void schedule(Dispatchable actor) {
        thread.execute(actor);
    }

    @Override
    public void reschedule(Dispatchable actor) {
        thread.execute(actor);
    }

    @Override
    public int throughput() {
        return throughput;
    }

    @Override
    public String name() {
        return DispatcherSelector.DEDICATED;
    }

    @Override
    public void shutdown(Duration timeout) {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
