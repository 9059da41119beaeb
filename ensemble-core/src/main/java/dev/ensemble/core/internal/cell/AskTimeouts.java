package dev.ensemble.core.internal.cell;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times out pending asks by sweeping their deadlines every {@link #TICK_MS} milliseconds.
 *
 * <p>Scheduling one timer task per ask made every ask wake the timer thread (a new, nearer head
 * of its delay queue) and take its lock again to cancel it: measured here, that doubled the median
 * ask round trip on 2 cores. Registering is instead one compare-and-set that pushes the ask's own
 * {@link AskReply} onto a lock-free list; the sweep takes the whole list at once, forgets the
 * answered asks, fails the expired ones and puts the rest back. Precision is one tick, which is
 * fine for timeouts counted in seconds.
 */
final class AskTimeouts {
    private static final Logger LOG = LoggerFactory.getLogger(AskTimeouts.class);
    /** How often deadlines are checked; a timeout fires at most this late. */
    static final long TICK_MS = 10;

    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(AskTimeouts.class, "pending", AskReply.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ScheduledExecutorService timer;
    private final AtomicBoolean started = new AtomicBoolean();
    /** The newest pending ask; older ones follow through {@link AskReply#nextPending}. */
    @SuppressWarnings("unused")
    private volatile AskReply pending;
    /** Once set, nothing is put back: every ask left is failed by {@link #failAll}. */
    private volatile Supplier<? extends Throwable> closedWith;

    AskTimeouts(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Fails {@code reply} with {@link AskReply#timedOut()} if it is not complete by its deadline. */
    void register(AskReply reply) {
        push(reply, reply);
        if (!started.get() && started.compareAndSet(false, true)) {
            try {
                timer.scheduleWithFixedDelay(this::sweep, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException timerStopped) {
                // Only a stopped system stops its timer, after failAll: the check below fails this ask.
                LOG.debug("the first ask's timeout sweep was refused: the actor system is stopping");
            }
        }
        Supplier<? extends Throwable> closed = closedWith;
        if (closed != null) {
            failAll(closed);
        }
    }

    /** Pushes the chain {@code first}..{@code last} (linked through nextPending) in one step. */
    private void push(AskReply first, AskReply last) {
        AskReply head;
        do {
            head = pending;
            last.nextPending = head;
        } while (!PENDING.compareAndSet(this, head, first));
    }

    /** Runs on the timer thread: drops answered asks, fails expired ones, keeps the rest. */
    private void sweep() {
        AskReply taken = (AskReply) PENDING.getAndSet(this, null);
        long now = System.nanoTime();
        AskReply keptFirst = null;
        AskReply keptLast = null;
        for (AskReply ask = taken; ask != null; ) {
            AskReply next = ask.nextPending;
            ask.nextPending = null;
            if (!ask.isDone()) {
                if (now - ask.deadlineNanos >= 0) {
                    ask.completeExceptionally(ask.timedOut());
                } else if (keptFirst == null) {
                    keptFirst = ask;
                    keptLast = ask;
                } else {
                    keptLast.nextPending = ask;
                    keptLast = ask;
                }
            }
            ask = next;
        }
        if (keptFirst != null) {
            push(keptFirst, keptLast);
            Supplier<? extends Throwable> closed = closedWith;
            if (closed != null) {
                failAll(closed);
            }
        }
    }

    /** Fails every ask still pending, and every later one: nothing answers once the system has stopped. */
    void failAll(Supplier<? extends Throwable> reason) {
        closedWith = reason;
        for (AskReply ask = (AskReply) PENDING.getAndSet(this, null); ask != null; ) {
            AskReply next = ask.nextPending;
            ask.nextPending = null;
            ask.completeExceptionally(reason.get());
            ask = next;
        }
    }
}
