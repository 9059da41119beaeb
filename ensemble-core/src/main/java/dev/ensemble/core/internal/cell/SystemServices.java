package dev.ensemble.core.internal.cell;

import dev.ensemble.core.ActorStoppedException;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.monitor.ActorMonitor;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * INTERNAL API: what the cells of one actor system share: the system itself (an actor's
 * {@code system()}), its monitor, its timer thread, the timeouts of its pending asks, the
 * default ask timeout, and where client listeners run by default. Made by the
 * {@link ActorSystem}, which calls {@link #shutdown()} once every actor has stopped.
 *
 * <p>Threading: thread-safe.
 */
public final class SystemServices {
    private final ActorSystem system;
    private final ActorMonitor monitor;
    private final Duration defaultAskTimeout;
    private final Executor callbackExecutor;
    /** Told on the stopping thread when a cell stops for good. */
    private final Consumer<ActorCell<?>> cellStopped;

    /** Set once by the system after construction; the bus of actors outside every namespace. */
    private volatile BusEndpoint rootBus;

    private final ScheduledThreadPoolExecutor timer;
    private final AskTimeouts askTimeouts;
    /**
     * Numbers cells in the order they are made; the system stops them in reverse. A number in
     * each cell, rather than a list of cells, keeps spawning O(1) and an idle actor small.
     */
    private final AtomicLong creationOrder = new AtomicLong();
    /** The inspector's tap while something records, else null; cells made meanwhile start with it. */
    private volatile CellTap tap;

    /**
     * Starts nothing yet: the timer thread starts with the first timer or ask.
     *
     * @param system the system the cells belong to
     * @param monitor sees every message and status change
     * @param defaultAskTimeout how long an ask waits unless its client says otherwise
     * @param callbackExecutor where client listeners run unless their client names an executor
     * @param cellStopped told, on the stopping thread, when a cell stops for good (after its
     *     watchers); the system frees a spawned actor's name and thread with it. A hook of the
     *     system rather than a listener of each cell, so that an idle actor carries none.
     */
    public SystemServices(
            ActorSystem system,
            ActorMonitor monitor,
            Duration defaultAskTimeout,
            Executor callbackExecutor,
            Consumer<ActorCell<?>> cellStopped) {
        this.system = system;
        this.monitor = monitor;
        this.defaultAskTimeout = defaultAskTimeout;
        this.callbackExecutor = callbackExecutor;
        this.cellStopped = cellStopped;
        String threadName = "ensemble-" + system.name() + "-timer";
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.askTimeouts = new AskTimeouts(timer);
    }

    /** @param bus where the publications of actors at the system's root go */
    public void rootBus(BusEndpoint bus) {
        this.rootBus = bus;
    }

    BusEndpoint rootBus() {
        return rootBus;
    }

    /** @return the tap new cells start with: the inspector's while it records, else null */
    public CellTap tap() {
        return tap;
    }

    /** @param tap what new cells start with; the inspector sets it on existing cells itself */
    public void tap(CellTap tap) {
        this.tap = tap;
    }

    /** @return how long an ask waits unless its client says otherwise */
    public Duration askTimeout() {
        return defaultAskTimeout;
    }

    /** @return where client listeners run unless their client names an executor */
    public Executor defaultCallbackExecutor() {
        return callbackExecutor;
    }

    ActorSystem system() {
        return system;
    }

    ActorMonitor monitor() {
        return monitor;
    }

    /** @return the system's timer thread, for timers of actors and of pools */
    public ScheduledExecutorService timer() {
        return timer;
    }

    AskTimeouts askTimeouts() {
        return askTimeouts;
    }

    Duration defaultAskTimeout() {
        return defaultAskTimeout;
    }

    Executor callbackExecutor() {
        return callbackExecutor;
    }

    void cellStopped(ActorCell<?> cell) {
        cellStopped.accept(cell);
    }

    long nextCreationNumber() {
        return creationOrder.incrementAndGet();
    }

    /**
     * The system has stopped: fails every ask still waiting (nothing can answer it any more, and
     * the timer that would time it out is going), then stops the timer thread.
     */
    public void shutdown() {
        askTimeouts.failAll(() -> new ActorStoppedException(
                "(system)", "actor system \"" + system.name() + "\" stopped before the ask was answered"));
        timer.shutdownNow();
    }
}
