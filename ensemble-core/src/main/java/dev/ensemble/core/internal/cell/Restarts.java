package dev.ensemble.core.internal.cell;

import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.supervision.SupervisorStrategy;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: how one cell's failures are answered, and the restart it then owes. An actor of
 * the system's root decides alone, by its {@link SupervisorStrategy}: a restart after a backoff,
 * or a stop once its intensity is exceeded. An actor under a supervisor of a tree hands its
 * failure to that supervisor ({@link ChildFailureHandler}) and waits, its mailbox held, until the
 * supervisor resumes it ({@link #resumeRestart}); a sibling's failure may ask it to end its
 * instance at its next turn boundary ({@link #requestSuspend}).
 *
 * <p>Threading: the fields marked <em>turn-owned</em> follow the cell's ownership rule (the
 * thread running its current turn, or the supervisor while the cell is suspended and no turn
 * runs); the others are volatile or atomic.
 */
final class Restarts {
    /** The cell's: an actor's lifecycle is logged under one name, whichever type decides it. */
    private static final Logger LOG = LoggerFactory.getLogger(ActorCell.class);

    private final ActorCell<?> cell;
    private final SupervisorStrategy supervision;

    // Turn-owned.
    private boolean pending;
    private Throwable cause;
    /** Made at the first failure: most actors never fail. Unused under a supervisor of a tree. */
    private Supervisor supervisor;
    /** Completed when the restart that {@link #resumeRestart} asked for has run or failed. */
    private CompletableFuture<Void> waiter;

    /**
     * The supervisor of a tree that decides this actor's restarts, or null for an actor of the
     * system's root, which decides with its own {@link SupervisorStrategy}. Set before start.
     */
    private volatile ChildFailureHandler parent;
    /** True while a failed instance waits for {@link #parent} to decide. Written in turns. */
    private volatile boolean awaitingSupervisor;
    /** A sibling's failure asks this actor to end its instance at its next turn boundary. */
    private final AtomicReference<SuspendRequest> suspendRequest = new AtomicReference<>();

    Restarts(ActorCell<?> cell, SupervisorStrategy supervision) {
        this.cell = cell;
        this.supervision = supervision;
    }

    void supervisedBy(ChildFailureHandler handler) {
        this.parent = Objects.requireNonNull(handler, "handler");
    }

    /** @return true while a failed instance waits for its tree supervisor's decision */
    boolean awaitingSupervisor() {
        return awaitingSupervisor;
    }

    // ---------------------------------------------------------------- in turn

    /** @return true if a restart is owed: the next turn makes a fresh instance */
    boolean pending() {
        return pending;
    }

    /** The owed restart will not run (the actor stops): @return the failure that asked for it */
    Throwable abandon() {
        pending = false;
        return cause;
    }

    /** The owed restart begins: @return the failure that asked for it, for {@code onRestart} */
    Throwable begin() {
        pending = false;
        Throwable why = cause;
        cause = null;
        return why;
    }

    /** The fresh instance has started. */
    void restarted() {
        if (supervisor != null) {
            supervisor.restarted();
        }
        completeWaiter();
    }

    private void completeWaiter() {
        CompletableFuture<Void> w = waiter;
        if (w != null) {
            waiter = null;
            w.complete(null);
        }
    }

    /**
     * Called before every message of a turn: a plain read first, so that the common case (no
     * request) costs no atomic exchange. A request set just after the read is taken at the next
     * message or turn; {@link #requestSuspend} wakes the actor for it.
     *
     * @return a sibling's request to end the instance, taken; or null
     */
    SuspendRequest takeSuspendRequest() {
        return suspendRequest.get() == null ? null : suspendRequest.getAndSet(null);
    }

    /**
     * The instance failed and has ended: its tree supervisor decides, or its own strategy does
     * (a restart after the backoff, or a stop).
     */
    void failed(Throwable failure) {
        ChildFailureHandler handler = parent;
        if (handler != null) {
            awaitSupervisor(failure);
            completeWaiter();
            handler.childFailed(cell, failure);
            return;
        }
        if (supervisor == null) {
            supervisor = Supervisor.of(supervision);
        }
        Supervisor.Decision decision = supervisor.onFailure();
        if (decision instanceof Supervisor.Stop stop) {
            LOG.error("actor \"{}\" stops: {}", cell.name(), stop.why());
            cell.stopInTurn(failure);
            return;
        }
        cell.setStatus(ActorStatus.RESTARTING, failure);
        pending = true;
        cause = failure;
        long delay = ((Supervisor.Restart) decision).delayNanos();
        if (delay > 0) {
            cell.suspended(true);
            try {
                cell.services.timer().schedule(cell::resume, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException timerStopped) {
                // The system is stopping and its timer with it: nothing would end the backoff.
                cell.suspended(false);
                pending = false;
                cell.stopInTurn(failure);
            }
        }
    }

    /** The instance has ended; the mailbox holds until the supervisor resumes or stops the actor. */
    private void awaitSupervisor(Throwable failure) {
        cell.setStatus(ActorStatus.RESTARTING, failure);
        pending = true;
        cause = failure;
        cell.suspended(true);
        awaitingSupervisor = true;
        answerSuspendRequest();
    }

    /** A sibling failed and the strategy restarts this actor too: its instance ends now. */
    void suspendInTurn(SuspendRequest request) {
        cell.endInstance();
        awaitSupervisor(request.cause());
        request.done().complete(null);
    }

    /** A request that raced this actor's own failure or stop is answered: it is already suspended. */
    void answerSuspendRequest() {
        SuspendRequest request = suspendRequest.getAndSet(null);
        if (request != null) {
            request.done().complete(null);
        }
    }

    // ---------------------------------------------------------------- from its tree supervisor

    /** See {@link ActorCell#requestSuspend}. */
    CompletableFuture<Void> requestSuspend(Throwable failure) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        suspendRequest.set(new SuspendRequest(failure, done));
        if (awaitingSupervisor || cell.status() == ActorStatus.STOPPED) {
            answerSuspendRequest();
        } else {
            cell.wake();
        }
        return done;
    }

    /** See {@link ActorCell#resumeRestart}. */
    CompletableFuture<Void> resumeRestart() {
        CompletableFuture<Void> restarted = new CompletableFuture<>();
        if (cell.status() == ActorStatus.STOPPED) {
            restarted.complete(null);
            return restarted;
        }
        waiter = restarted;
        awaitingSupervisor = false;
        cell.resume();
        return restarted;
    }
}
