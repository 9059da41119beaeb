package dev.ensemble.core.internal.cell;

import dev.ensemble.core.ActionFailed;
import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.ActorStoppedException;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Down;
import dev.ensemble.core.MailboxOverflowException;
import dev.ensemble.core.internal.dispatch.Dispatchable;
import dev.ensemble.core.internal.dispatch.Dispatcher;
import dev.ensemble.core.internal.invoke.ActionTable;
import dev.ensemble.core.internal.mailbox.Mailbox;
import dev.ensemble.core.monitor.ActorMonitor;
import dev.ensemble.core.monitor.MessageTrace;
import dev.ensemble.core.supervision.SupervisorStrategy;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: the runtime half of an actor: its mailbox, its turns and its lifecycle. One cell
 * lives as long as the actor; the {@link Actor} instance inside it is replaced on restart. What
 * an instance may do in its turn is the superclass, {@link TurnContext}; what the cell consults
 * lives in types of its own: how failures are answered and the restart owed in {@link Restarts}
 * (with the intensity window in {@link Supervisor}), who listens in {@link Listeners}; the
 * {@link DefaultActorClient} turns calls into messages. The public
 * methods serve {@link ActorSystem}: creation, start, stop and listing.
 *
 * <h2>Ownership</h2>
 * Fields marked <em>turn-owned</em> are read and written only by the thread running the
 * current turn. {@link Dispatchable#claim()} guarantees at most one such thread at a time, and the
 * volatile write that releases it publishes the turn's writes to the next turn's thread.
 * Everything else is volatile or thread-safe and documented where it is declared.
 *
 * <h2>Inspection</h2>
 * What the inspector ({@code internal.inspect}) needs costs the message path nearly nothing, so
 * that inspection switched on with nobody looking stays within the benchmarks' 2 % of off
 * (pingpong-64): per message, one increment of a plain {@code long} ({@link #handledCount()}; the
 * inspector samples it once a second, only while a session is open) and one read of the volatile
 * {@code tap} at enqueue and once per batch of turns. The tap is null unless a trace or the history
 * records; only then are messages stamped ({@link TappedMessage}), the clock read, and the turn's
 * cell noted as the sender of what it sends ({@link TurnSenders}). A volatile read is a plain load on
 * x86 and a load-acquire on ARM, of a line the cell touches anyway, hence no measurable cost.
 *
 * @param <S> the actor's state type
 */
public final class ActorCell<S> extends TurnContext<S> {
    private static final Logger LOG = LoggerFactory.getLogger(ActorCell.class);
    /** Returned by {@link #enqueue} when the actor has stopped; never enqueued. */
    static final Message STOPPED = new TaskMessage("stopped", 0, () -> {});

    private final ActionTable actions;
    private final Mailbox<Message> mailbox;
    private final Dispatcher dispatcher;
    private final SupervisorStrategy supervision;
    /**
     * Its failures' answers and the restart owed; made at the first failure (most actors never
     * fail), or before start for an actor under a supervisor of a tree, whose supervisor calls it
     * from its own thread. Written before start or in a turn; partly turn-owned, see there.
     */
    private Restarts restarts;

    private final ActorMonitor monitor;
    /** Position in the system's creation order; stop goes backwards through it. */
    private final long creationNumber;

    /** True while a restart backoff holds the mailbox. Written in turns and by the backoff timer. */
    private volatile boolean suspended;

    private volatile ActorStatus status = ActorStatus.STARTING;
    /** Set when a stop is asked for; a restart waiting in backoff is then abandoned. */
    private volatile boolean stopRequested;
    /** The latest committed state: written by turns, read by anyone. */
    private volatile S committed;
    /** Made on first use, guarded by {@code this} for creation: most actors are never listened to. */
    private volatile Listeners<S> listeners;

    /** Measures time in turns for a pool's resizer; null for every other actor. Set before start. */
    private volatile BusyClock busyClock;

    /**
     * The inspector's tap while a trace or the history records, else null: the only field the
     * message path reads for inspection (once per enqueue, once per batch of turns). When null,
     * nothing else about inspection runs.
     */
    private volatile CellTap tap;
    /**
     * Messages handled, for the inspector's rates. Turn-owned and written plainly (an increment of
     * a field on a line the turn writes anyway); read with {@link #HANDLED}'s opaque mode by the
     * inspector's sampler, about once a second and only while a session is open.
     */
    private long handled;
    /** Restarts so far; written in the (rare) restart turns. */
    private volatile int restartCount;
    /** {@link System#nanoTime()} of the last (re)start; written in start and restart turns. */
    private volatile long runningSinceNanos;

    private static final java.lang.invoke.VarHandle HANDLED;

    static {
        try {
            HANDLED = java.lang.invoke.MethodHandles.lookup().findVarHandle(ActorCell.class, "handled", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Makes the cell and the actor's first instance; nothing runs until {@link #start()}.
     *
     * @param props its mailbox and supervision; {@code dispatcher} is the one its selector chose
     * @param dependencies the cells of the actors it declared as dependencies
     * @throws IllegalStateException if the factory returns null, a wrong type or a used instance
     */
    public ActorCell(
            SystemServices services,
            ActorToken<?, S> token,
            Supplier<? extends Actor<S>> factory,
            ActorProps props,
            Dispatcher dispatcher,
            Map<ActorToken<?, ?>, ActorCell<?>> dependencies) {
        this(services, token, token.name(), factory, props, dispatcher, dependencies, false);
    }

    /**
     * Makes the cell of an actor with a name other than its token's: its path, under a supervisor.
     *
     * @param name what logs, events and {@link Down} signals call it
     * @param countedMailbox true for a mailbox whose size is a counter rather than a walk of the
     *     queue: for a pool's replica, whose size its routing and resizer read often
     */
    public ActorCell(
            SystemServices services,
            ActorToken<?, S> token,
            String name,
            Supplier<? extends Actor<S>> factory,
            ActorProps props,
            Dispatcher dispatcher,
            Map<ActorToken<?, ?>, ActorCell<?>> dependencies,
            boolean countedMailbox) {
        super(services, token, name, factory, dependencies);
        this.actions = ActionTable.of(token.actions());
        this.monitor = services.monitor();
        this.mailbox = Mailbox.of(props.mailbox(), countedMailbox || monitor != ActorMonitor.NONE);
        this.dispatcher = dispatcher;
        this.supervision = props.supervision();
        this.creationNumber = services.nextCreationNumber();
        this.tap = services.tap();
        Actor<S> first = newInstance();
        this.instance = first;
        this.generation = 1;
        this.committed = ACTORS.initialState(first);
    }

    /**
     * Places the actor under a supervisor of a tree, which then decides its restarts. Call before
     * {@link #start()}.
     */
    public void supervisedBy(ChildFailureHandler handler) {
        restarts().supervisedBy(handler);
    }

    private Restarts restarts() {
        Restarts r = restarts;
        if (r == null) {
            r = new Restarts(this, supervision);
            restarts = r;
        }
        return r;
    }

    private boolean restartPending() {
        Restarts r = restarts;
        return r != null && r.pending();
    }

    /** Makes the turns measure their time, for a pool's resizer. Call before {@link #start()}. */
    public void measureBusyTime(BusyClock clock) {
        this.busyClock = clock;
    }

    // ---------------------------------------------------------------- views (any thread)

    public long creationNumber() {
        return creationNumber;
    }

    public ActorStatus status() {
        return status;
    }

    /** @return how many messages wait; approximate under concurrency */
    public int mailboxSize() {
        return mailbox.size();
    }

    /** @return true while a failed instance waits for its tree supervisor's decision */
    public boolean awaitingSupervisor() {
        Restarts r = restarts;
        return r != null && r.awaitingSupervisor();
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    // ---------------------------------------------------------------- inspection (any thread)

    /** @return the latest committed state; immutable by the actor rules */
    public Object stateForInspection() {
        return committed;
    }

    /** @return the actor's actions */
    public ActionTable actionTable() {
        return actions;
    }

    /** @return messages handled so far (a turn's count may lag behind by a few on another thread) */
    public long handledCount() {
        return (long) HANDLED.getOpaque(this);
    }

    /** @return restarts since the actor was made */
    public int restartCount() {
        return restartCount;
    }

    /** @return {@link System#nanoTime()} of its last start or restart, or 0 before its first start */
    public long runningSinceNanos() {
        return runningSinceNanos;
    }

    /** @return the inspector's tap, or null when nothing records (the usual case) */
    public CellTap tap() {
        return tap;
    }

    /** Installs or (with null) removes the inspector's tap. */
    public void tap(CellTap next) {
        this.tap = next;
    }

    S committedState() {
        return committed;
    }

    ActionTable actions() {
        return actions;
    }

    Listeners<S> listeners() {
        Listeners<S> l = listeners;
        if (l == null) {
            synchronized (this) {
                l = listeners;
                if (l == null) {
                    l = new Listeners<>(name());
                    listeners = l;
                }
            }
        }
        return l;
    }

    @Override
    public boolean messagesWaiting() {
        return mailbox.hasNext();
    }

    // ---------------------------------------------------------------- enqueueing (any thread)

    /**
     * Puts a message in the mailbox and makes sure the actor will run.
     *
     * @return null if accepted; the refused message (as offered, possibly timed) if the mailbox is
     *     full; {@link #STOPPED} if the actor has stopped, or stopped because its dispatcher
     *     refused it, in which case this message was refused too
     */
    Message enqueue(Message message) {
        if (status == ActorStatus.STOPPED) {
            return STOPPED;
        }
        Message queued = monitor != ActorMonitor.NONE ? new TimedMessage(message, System.nanoTime()) : message;
        CellTap t = tap;
        if (t != null && t.records(this)) {
            queued = new TappedMessage(queued, t);
        }
        Message result = mailbox.offer(queued);
        if (result == queued) {
            return queued;
        }
        if (result != null) {
            result.drop(new MailboxOverflowException(
                    name(),
                    "message " + result.name() + " to actor \"" + name()
                            + "\" was dropped as the oldest in its full mailbox"));
            traceDropped(result, "dropped as oldest");
        }
        return wake() ? null : STOPPED;
    }

    @Override
    public void enqueueTask(String taskName, int generation, Runnable task) {
        if (enqueue(new TaskMessage(taskName, generation, task)) != null) {
            LOG.debug("actor \"{}\" dropped {}: it is stopped or its mailbox is full", name(), taskName);
        }
    }

    /** @return false if the dispatcher refused the actor, and what waited was refused here */
    boolean wake() {
        if ((!suspended || stopRequested) && claim()) {
            try {
                dispatcher.schedule(this);
            } catch (RejectedExecutionException refused) {
                runRefused(refused);
                return false;
            }
        }
        return true;
    }

    /** Hands the claimed cell back to its dispatcher, or refuses what waits if its threads are gone. */
    private void reschedule() {
        try {
            dispatcher.reschedule(this);
        } catch (RejectedExecutionException refused) {
            runRefused(refused);
        }
    }

    /**
     * The dispatcher refused this claimed cell: its threads are gone, which happens once the
     * system (or a spawned actor's own thread) has been shut down. A call that passed the stopped
     * check just before that gets here. Nothing will run the actor again, so the thread that holds
     * the claim stops it (if it had not stopped) and runs its last turn itself, which ends the
     * instance and refuses what waits with {@link ActorStoppedException}, never the executor's
     * exception.
     */
    private void runRefused(RejectedExecutionException refused) {
        if (status != ActorStatus.STOPPED) {
            LOG.warn("actor \"{}\" stops: its dispatcher refused to run it ({})", name(), refused.toString());
            markStopped(new ActorStoppedException(
                    name(),
                    "actor \"" + name() + "\" stopped: its dispatcher no longer runs it (its system is stopping)"));
        }
        run();
    }

    // ---------------------------------------------------------------- turns

    /**
     * Runs a batch of turns, only while this cell is claimed: called by the dispatcher, or by the
     * claiming thread when the dispatcher refused the cell ({@link #runRefused}).
     */
    @Override
    public void run() {
        turnThread = Thread.currentThread();
        // Known only while a tap is installed: the sender of the messages this batch sends.
        boolean tapped = tap != null;
        ActorCell<?> outer = tapped ? TurnSenders.enter(this) : null;
        try {
            int budget = dispatcher.throughput();
            while (status != ActorStatus.STOPPED && (!suspended || stopRequested)) {
                Restarts r = restarts;
                SuspendRequest request = stopRequested || r == null ? null : r.takeSuspendRequest();
                if (request != null) {
                    r.suspendInTurn(request);
                    break;
                }
                if (r != null && r.pending()) {
                    if (stopRequested) {
                        stopInTurn(r.abandon());
                        break;
                    }
                    process(new LifecycleMessage(LifecycleMessage.Step.RESTART, null));
                    continue;
                }
                if (budget-- <= 0) {
                    break;
                }
                Message message = mailbox.poll();
                if (message == null) {
                    break;
                }
                process(message);
            }
            if (status == ActorStatus.STOPPED) {
                // However it stopped (its last turn, or forced from outside, maybe in a backoff):
                // no restart follows, and what waits is refused.
                Restarts r = restarts;
                if (r != null) {
                    r.abandon();
                }
                endInstance();
                dropAll();
                if (r != null) {
                    r.answerSuspendRequest();
                }
            }
        } finally {
            if (tapped) {
                TurnSenders.exit(outer);
            }
            turnThread = null;
            release();
            if ((!suspended || stopRequested) && (restartPending() || mailbox.hasNext()) && claim()) {
                reschedule();
            }
        }
    }

    private void process(Message message) {
        boolean monitored = monitor != ActorMonitor.NONE;
        // A type check of the message in hand, not a read of another field: untapped messages
        // (all of them while nothing records) skip the clock.
        TappedMessage tapped = message instanceof TappedMessage t ? t : null;
        long started = monitored || tapped != null ? System.nanoTime() : 0;
        int depth = monitored ? mailbox.size() + 1 : 0;
        working = committed;
        MessageTrace.Outcome outcome;
        Throwable failure = null;
        BusyClock busy = busyClock;
        if (busy != null) {
            busy.turnStarted();
        }
        try {
            message.run(this);
            commit();
            outcome = MessageTrace.Outcome.SUCCEEDED;
            message.succeeded();
        } catch (Throwable thrown) {
            working = committed;
            pendingEvents = null;
            failure = thrown instanceof ActorCrash ? thrown.getCause() : thrown;
            boolean crash = thrown instanceof Error || message.failsInstance();
            try {
                message.failed(this, failure);
            } catch (RuntimeException reportingFailed) {
                LOG.error("actor \"{}\": reporting the failure of {} failed", name(), message.name(), reportingFailed);
            }
            if (crash && status != ActorStatus.STARTING && status != ActorStatus.STOPPED) {
                outcome = MessageTrace.Outcome.CRASHED;
                try {
                    instanceFailed(failure);
                } catch (Throwable supervisionFailed) {
                    failure.addSuppressed(supervisionFailed);
                    stopInTurn(failure);
                }
            } else {
                outcome = MessageTrace.Outcome.FAILED;
            }
        } finally {
            message.clear();
            if (busy != null) {
                busy.turnEnded();
            }
        }
        handled++;
        if (monitored) {
            MonitorCalls.message(monitor, name(), message, started, System.nanoTime(), depth, outcome, failure);
        }
        if (tapped != null) {
            tapped.record(this, started, System.nanoTime(), outcome);
        }
    }

    private void commit() {
        S next = working;
        S previous = committed;
        if (next != previous && !Objects.equals(next, previous)) {
            committed = next;
            Listeners<S> l = listeners;
            if (l != null) {
                l.publishState(next);
            }
        }
        ArrayList<Object> events = pendingEvents;
        if (events != null) {
            pendingEvents = null;
            for (Object pending : events) {
                if (pending instanceof ActorEvent event) {
                    publishEvent(event);
                } else if (pending instanceof Retained retained) {
                    listeners().publishRetained(retained.event());
                } else if (pending instanceof Cleared cleared) {
                    Listeners<S> l = listeners;
                    if (l != null) {
                        l.clearRetained(cleared.name());
                    }
                }
            }
        }
    }

    private void publishEvent(ActorEvent event) {
        Listeners<S> l = listeners;
        if (l != null) {
            l.publishEvent(event);
        }
    }

    /**
     * A tell or a task (timer, reaction, piped result) failed alone; the state is kept. Logged,
     * and announced as an {@link ActorEvent#ACTION_FAILED} event naming {@code action}.
     */
    void failedAlone(String what, String action, Throwable cause) {
        LOG.warn("actor \"{}\": {} failed; the state is kept", name(), what, cause);
        publishEvent(new ActorEvent(name(), ActorEvent.ACTION_FAILED, new ActionFailed(action, cause)));
    }

    private void traceDropped(Message message, String why) {
        MonitorCalls.dropped(monitor, name(), message, mailbox, why);
        if (message instanceof TappedMessage tapped) {
            long now = System.nanoTime();
            tapped.record(this, now, now, MessageTrace.Outcome.DROPPED);
        }
    }

    /** Moves to {@code next}; nothing leaves STOPPED. */
    void setStatus(ActorStatus next, Throwable cause) {
        synchronized (this) {
            if (status == ActorStatus.STOPPED) {
                return;
            }
            status = next;
        }
        if (monitor != ActorMonitor.NONE) {
            MonitorCalls.statusChanged(monitor, name(), next, cause);
        }
    }

    // ---------------------------------------------------------------- lifecycle (in turn)

    /** The first instance's first turn. */
    void startInTurn() throws Exception {
        ACTORS.onStart(instance);
        runningSinceNanos = System.nanoTime();
        setStatus(ActorStatus.RUNNING, null);
    }

    /** A restart's first turn: a fresh instance, its onRestart and onStart. */
    void restartInTurn() throws Exception {
        Throwable cause = restarts.begin();
        Actor<S> fresh = newInstance();
        generation++;
        instance = fresh;
        working = ACTORS.initialState(fresh);
        // What the failed instance retained described that instance, not the fresh one.
        Listeners<S> l = listeners;
        if (l != null) {
            l.clearAllRetained();
        }
        ACTORS.onRestart(fresh, cause);
        ACTORS.onStart(fresh);
        restartCount++;
        runningSinceNanos = System.nanoTime();
        setStatus(ActorStatus.RUNNING, null);
        LOG.info("actor \"{}\" restarted after: {}", name(), String.valueOf(cause));
        restarts.restarted();
    }

    private void instanceFailed(Throwable cause) {
        LOG.error("actor \"{}\" failed", name(), cause);
        endInstance();
        restarts().failed(cause);
    }

    /** Holds or frees the mailbox: a restart's backoff, or a wait for the tree supervisor. */
    void suspended(boolean hold) {
        suspended = hold;
    }

    /** Frees the mailbox and runs the owed restart: the backoff ended, or the supervisor decided. */
    void resume() {
        suspended = false;
        if (claim()) {
            reschedule();
        }
    }

    // ---------------------------------------------------------------- under a supervisor of a tree

    /**
     * Asks the actor to end its instance at its next turn boundary (after the message it is
     * handling) and wait for {@link #resumeRestart}; messages wait in its mailbox meanwhile.
     * Called by its supervisor only.
     *
     * @param cause the sibling's failure, passed to the fresh instance's {@code onRestart}
     * @return completes when the instance has ended, at once if it already has or the actor stopped
     */
    public CompletableFuture<Void> requestSuspend(Throwable cause) {
        return restarts().requestSuspend(cause);
    }

    /**
     * Restarts a suspended actor now: a fresh instance, its {@code onRestart} and {@code onStart}.
     * Called by its supervisor only, once per suspension.
     *
     * @return completes when the restart has run, or failed (which the supervisor hears of apart)
     */
    public CompletableFuture<Void> resumeRestart() {
        return restarts().resumeRestart();
    }

    /** Stops for good, inside a turn: the last instance ends, waiting messages are refused. */
    void stopInTurn(Throwable cause) {
        if (status == ActorStatus.STOPPED) {
            return;
        }
        endInstance();
        setStatus(ActorStatus.STOPPED, cause);
        dropAll();
        announceStopped(cause);
    }

    private void dropAll() {
        Message message;
        while ((message = mailbox.poll()) != null) {
            message.drop(new ActorStoppedException(
                    name(), "actor \"" + name() + "\" stopped before " + message.name() + " ran"));
            traceDropped(message, "dropped: the actor stopped");
            message.clear();
        }
    }

    // ---------------------------------------------------------------- starting and stopping (system thread)

    /** @return completes when the first instance's {@code onStart()} has run, or fails with what it threw */
    public CompletableFuture<Void> start() {
        CompletableFuture<Void> started = new CompletableFuture<>();
        if (enqueue(new LifecycleMessage(LifecycleMessage.Step.START, started)) != null) {
            started.completeExceptionally(
                    new ActorStoppedException(name(), "actor \"" + name() + "\" stopped before it started"));
        }
        return started;
    }

    /** Asks the actor to stop after the messages already waiting; completes when it has. */
    public CompletableFuture<Void> stopGracefully() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (status == ActorStatus.STOPPED) {
            done.complete(null);
            return done;
        }
        stopRequested = true;
        suspended = false;
        if (enqueue(new LifecycleMessage(LifecycleMessage.Step.STOP, done)) != null) {
            done.complete(null);
        }
        return done;
    }

    /**
     * Marks the actor stopped without its cooperation (a turn that would not end, or a failed
     * start): new calls fail fast, watchers are told, and any later run refuses what waits.
     */
    public void forceStop(String why) {
        if (status == ActorStatus.STOPPED) {
            return;
        }
        LOG.warn("actor \"{}\" force-stopped: {}", name(), why);
        markStopped(new ActorStoppedException(name(), "actor \"" + name() + "\" was force-stopped: " + why));
        if (claim()) {
            reschedule();
        }
    }

    /** Stopped without a last turn of its own: new calls fail fast and watchers are told. */
    private void markStopped(ActorStoppedException cause) {
        setStatus(ActorStatus.STOPPED, cause);
        announceStopped(cause);
    }

    /** Tells the watchers, then the system, that the actor stopped for good. */
    private void announceStopped(Throwable cause) {
        listeners().announceDown(new Down(name(), cause));
        services.cellStopped(this);
    }
}
