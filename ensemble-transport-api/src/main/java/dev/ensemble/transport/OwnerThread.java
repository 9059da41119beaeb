package dev.ensemble.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named thread that owns some state: every read and write of that state happens in a task
 * run here, one task at a time, in the order the tasks were handed over, so the state needs no
 * lock. Other threads (network callbacks, callers of a thread-safe API) only hand tasks over with
 * {@link #execute} or {@link #schedule}; code that must run here says so with {@link
 * #checkOwnerThread}. The transports and the signaling server's room state use one each.
 *
 * <pre>{@code
 * OwnerThread owner = OwnerThread.start("ensemble-ws-" + self.shortForm());
 * // on a library callback thread:
 * owner.execute(() -> onFrame(bytes));                     // onFrame runs on the owner
 * Future<?> timeout = owner.schedule(Duration.ofSeconds(10), this::giveUp);
 * // in owner-only code:
 * owner.checkOwnerThread("onFrame");
 * // when done:
 * owner.execute(this::shutDown);
 * owner.close();
 * owner.awaitTermination(Duration.ofSeconds(5));
 * }</pre>
 *
 * <h2>Failures</h2>
 *
 * A task that throws does not stop the thread: the exception is logged at error level with the
 * thread's name, handed to the {@code onFailure} given to {@link #start(String, Consumer)} (for
 * example to report it to a listener), and the next task runs. Only a {@link VirtualMachineError}
 * (out of memory, ...) is left to end the thread, after which a fresh thread of the same name
 * takes over the remaining tasks.
 *
 * <h2>Closing</h2>
 *
 * {@link #close()} stops taking tasks: from then on {@link #execute} returns {@code false} and
 * {@link #schedule} returns an already cancelled future, without running the task. Tasks already
 * handed to {@code execute} still run, in order; delayed tasks whose time has not come never run.
 * The thread ends after the last queued task; {@link #awaitTermination} waits for that.
 *
 * <h2>Threading</h2>
 *
 * Every method is thread-safe. {@link #awaitTermination} must not be called on the owner thread
 * itself (it would wait for itself) and says so.
 */
public final class OwnerThread {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerThread.class);

    private final String name;
    private final Consumer<? super Throwable> onFailure;
    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    private OwnerThread(String name, Consumer<? super Throwable> onFailure) {
        this.name = name;
        this.onFailure = onFailure;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread created = new Thread(runnable, name);
            created.setDaemon(true);
            thread = created;
            return created;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        executor.prestartCoreThread();
    }

    /**
     * Starts a daemon thread that logs a failing task and runs the next.
     *
     * @param name the thread's name, shown in thread dumps and log lines, e.g. {@code
     *     "ensemble-ws-z6Mk...sdvktH"}
     * @return the started owner thread
     */
    public static OwnerThread start(String name) {
        return start(name, failure -> {});
    }

    /**
     * Starts a daemon thread that logs a failing task, then hands the failure to {@code
     * onFailure} (on the owner thread; what it throws is logged too), and runs the next task.
     *
     * @param name the thread's name, shown in thread dumps and log lines
     * @param onFailure told of every task that threw
     * @return the started owner thread
     */
    public static OwnerThread start(String name, Consumer<? super Throwable> onFailure) {
        Objects.requireNonNull(name, "name");
        return new OwnerThread(name, Objects.requireNonNull(onFailure, "onFailure"));
    }

    /**
     * Returns the thread's name.
     *
     * @return the name given to {@link #start}
     */
    public String name() {
        return name;
    }

    /**
     * Hands a task to the owner thread, to run after the tasks handed over before it. Thread-safe;
     * from the owner thread itself the task runs after the current one.
     *
     * @param task the work
     * @return {@code true} if the task will run; {@code false} if this owner thread is closed (the
     *     task never runs)
     */
    public boolean execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        try {
            executor.execute(guarded(task));
            return true;
        } catch (RejectedExecutionException closed) {
            return false;
        }
    }

    /**
     * Runs a task on the owner thread once {@code delay} has passed. Thread-safe.
     *
     * @param delay how long to wait; zero or negative runs it as soon as possible
     * @param task the work
     * @return a future whose {@code cancel} keeps the task from running if it has not started;
     *     already cancelled if this owner thread is closed
     */
    public Future<?> schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        try {
            return executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            return cancelled();
        }
    }

    /**
     * Runs a task on the owner thread every {@code period}, the first time after {@code
     * initialDelay}, until the future is cancelled or the owner thread closes. A run that throws
     * is logged and the next run happens as planned; a run that takes longer than the period
     * delays the next one (runs never overlap). Thread-safe.
     *
     * @param initialDelay the wait before the first run
     * @param period the time from the start of one run to the start of the next, positive
     * @param task the work
     * @return a future whose {@code cancel} stops the runs; already cancelled if this owner
     *     thread is closed
     */
    public Future<?> scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(task, "task");
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("a period must be positive but is " + period);
        }
        try {
            return executor.scheduleAtFixedRate(
                    guarded(task), initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            return cancelled();
        }
    }

    /**
     * Tells whether the calling thread is this owner thread. Thread-safe.
     *
     * @return {@code true} inside a task run by this owner thread
     */
    public boolean inOwnerThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Fails loudly when owner-only code runs on another thread: a bug that would otherwise be a
     * silent race on the owned state.
     *
     * @param what the owner-only method or state, for the message
     * @throws IllegalStateException naming {@code what}, this owner thread and the calling thread,
     *     if the caller is not the owner thread
     */
    public void checkOwnerThread(String what) {
        if (!inOwnerThread()) {
            throw new IllegalStateException(what + " must run on its owner thread '" + name + "' but ran on '"
                    + Thread.currentThread().getName() + "'; hand it over with execute() or schedule()");
        }
    }

    /**
     * Stops taking tasks; the tasks already queued still run (see the class comment). Returns at
     * once. Idempotent; may be called from the owner thread.
     */
    public void close() {
        executor.shutdown();
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return whether this owner thread takes no more tasks
     */
    public boolean isClosed() {
        return executor.isShutdown();
    }

    /**
     * Waits until the thread has run its last task after {@link #close()}.
     *
     * @param timeout the longest wait
     * @return {@code true} if the thread ended, {@code false} if the time ran out first
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws IllegalStateException if called on the owner thread itself, which would wait for
     *     itself
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        if (inOwnerThread()) {
            throw new IllegalStateException("owner thread '" + name
                    + "' cannot wait for its own end; call awaitTermination from another" + " thread");
        }
        return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "OwnerThread[" + name + (isClosed() ? ", closed" : "") + "]";
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable failure) {
                LOG.error("a task on owner thread '{}' failed; the thread goes on with the next", name, failure);
                try {
                    onFailure.accept(failure);
                } catch (RuntimeException e) {
                    LOG.error("the failure handler of owner thread '{}' failed too", name, e);
                }
            }
        };
    }

    private static Future<?> cancelled() {
        CompletableFuture<Void> never = new CompletableFuture<>();
        never.cancel(false);
        return never;
    }
}
