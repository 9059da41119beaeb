package dev.ensemble.core.internal.dispatch;

import dev.ensemble.core.dispatch.DispatcherSelector;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * INTERNAL API: the dispatchers of one actor system: its shared pool, and the dedicated threads
 * it made for actors. Gives each actor the dispatcher its {@link DispatcherSelector} names, and
 * stops them all when the system stops.
 *
 * <p>Threading: thread-safe.
 */
public final class Dispatchers {
    private final String systemName;
    private final int throughput;
    private final SharedPoolDispatcher sharedPool;
    /** The dedicated threads of actors that may still run. */
    private final Set<DedicatedThreadDispatcher> dedicated = ConcurrentHashMap.newKeySet();

    /**
     * @param systemName names the threads
     * @param parallelism the shared pool's threads
     * @param throughput the most messages an actor handles before yielding its thread
     */
    public Dispatchers(String systemName, int parallelism, int throughput) {
        this.systemName = systemName;
        this.throughput = throughput;
        this.sharedPool = new SharedPoolDispatcher(systemName, parallelism, throughput);
    }

    /**
     * @param selector which dispatcher the actor's props name
     * @param actorName names a dedicated thread
     * @return the shared pool, a new dedicated thread, or the calling thread
     */
    public Dispatcher forActor(DispatcherSelector selector, String actorName) {
        return switch (selector.name()) {
            case DispatcherSelector.DEDICATED -> {
                DedicatedThreadDispatcher thread = new DedicatedThreadDispatcher(systemName, actorName, throughput);
                dedicated.add(thread);
                yield thread;
            }
            case DispatcherSelector.CALLING_THREAD -> CallingThreadDispatcher.INSTANCE;
            default -> sharedPool;
        };
    }

    /**
     * An actor stopped for good while the system runs on: its dedicated thread, if it had one,
     * ends now. The shared pool and the calling thread are not the actor's to end.
     *
     * @param dispatcher the stopped actor's dispatcher
     */
    public void release(Dispatcher dispatcher) {
        if (dispatcher instanceof DedicatedThreadDispatcher thread && dedicated.remove(thread)) {
            thread.shutdown(Duration.ZERO);
        }
    }

    /** @return where client listeners run when their client names no executor: the shared pool */
    public Executor callbackExecutor() {
        return sharedPool.pool();
    }

    /** @return how many times an actor that used up its throughput kept its shared-pool worker; for tests */
    public long keptWorkerCount() {
        return sharedPool.keptWorkerCount();
    }

    /**
     * Stops every thread: the dedicated ones, then the shared pool, each given {@code timeout} to
     * finish what it runs. Called once every actor has stopped.
     *
     * @param timeout how long each may take before it is interrupted
     */
    public void shutdown(Duration timeout) {
        for (DedicatedThreadDispatcher thread : dedicated) {
            thread.shutdown(timeout);
        }
        dedicated.clear();
        sharedPool.shutdown(timeout);
    }
}
