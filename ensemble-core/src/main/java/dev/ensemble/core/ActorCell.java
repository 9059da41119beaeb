package dev.ensemble.core;

import dev.ensemble.core.internal.dispatch.Dispatchable;
import dev.ensemble.core.internal.dispatch.Dispatcher;
import dev.ensemble.core.internal.invoke.ActionTable;
import dev.ensemble.core.internal.mailbox.Mailbox;
import dev.ensemble.core.monitor.ActorMonitor;
import dev.ensemble.core.monitor.MessageTrace;
import dev.ensemble.core.supervision.SupervisorStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime half of an actor: its mailbox, its scheduling, its turns, its published state,
 * its listeners and its supervision. One cell lives as long as the actor; the {@link Actor}
 * instance inside it is replaced on restart.
 *
 * <h2>Ownership</h2>
 * Fields marked <em>turn-owned</em> are read and written only by the thread running the
 * current turn. {@link Dispatchable#claim()} guarantees at most one such thread at a time, and the
 * volatile write that releases it publishes the turn's writes to the next turn's thread.
 * Everything else is volatile or thread-safe and documented where it is declared.
 */
final class ActorCell<S> extends Dispatchable implements InstanceTasks {
    private static final Logger LOG = LoggerFactory.getLogger(ActorCell.class);
    private final ActorSystem system;
    private final ActorToken<?, S> token;
    private final Supplier<? extends Actor<S>> factory;
    private final ActionTable actions;
    private final Mailbox<Message> mailbox;
    private final Dispatcher dispatcher;
    private final SupervisorStrategy supervision;
    private final ActorMonitor monitor;
    private final Map<ActorToken<?, ?>, ActorCell<?>> dependencies;
    /** Position in the system's creation order; stop goes backwards through it. */
    private final long creationNumber;

    /** True while a restart backoff holds the mailbox. Written in turns and by the backoff timer. */
    private volatile boolean suspended;

    private volatile ActorStatus status = ActorStatus.STARTING;
    /** Set when a stop is asked for; a restart waiting in backoff is then abandoned. */
    private volatile boolean stopRequested;
    /** The latest committed state: written by turns, read by anyone. */
    private volatile S committed;
    /** Created on first use; guarded by {@code this} for creation. */
    private volatile DefaultActorClient<?, S> client;

    /** Made on first use, guarded by {@code this} for creation: most actors are never listened to. */
    private volatile Listeners<S> listeners;

    // Turn-owned.
    private Thread turnThread;
    private Actor<S> instance;
    private int generation;
    private S working;
    private ArrayList<ActorEvent> pendingEvents;
    /** Made when the actor sets its first timer. */
    private Timers timers;
    /** Made at the actor's first reaction or watch. */
    private Reactions reactions;

    private boolean restartPending;
    private Throwable restartCause;
    /** Made at the first failure: most actors never fail. */
    private Supervisor supervisor;

    ActorCell(
            ActorSystem system,
            ActorToken<?, S> token,
            Supplier<? extends Actor<S>> factory,
            Mailbox<Message> mailbox,
            Dispatcher dispatcher,
            SupervisorStrategy supervision,
            Map<ActorToken<?, ?>, ActorCell<?>> dependencies) {
        this.system = system;
        this.token = token;
        this.factory = factory;
        this.actions = ActionTable.of(token.actions());
        this.mailbox = mailbox;
        this.dispatcher = dispatcher;
        this.supervision = supervision;
        this.monitor = system.monitor();
        this.dependencies = dependencies;
        this.creationNumber = system.nextCreationNumber();
        Actor<S> first = newInstance();
        this.instance = first;
        this.generation = 1;
        this.committed = first.initialState();
    }

    // ---------------------------------------------------------------- identity and views

    String name() {
        return token.name();
    }

    ActorToken<?, S> token() {
        return token;
    }

    ActorSystem system() {
        return system;
    }

    long creationNumber() {
        return creationNumber;
    }

    ActorStatus status() {
        return status;
    }

    S committedState() {
        return committed;
    }

    int mailboxSize() {
        return mailbox.size();
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    ActionTable actions() {
        return actions;
    }

    @SuppressWarnings("unchecked")
    <A> DefaultActorClient<A, S> client() {
        DefaultActorClient<?, S> c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = new DefaultActorClient<>(this, (ActorToken<Object, S>) token, system.defaultAskTimeout(), null);
                    client = c;
                }
            }
        }
        return (DefaultActorClient<A, S>) c;
    }

    // ---------------------------------------------------------------- in-turn API used by Actor

    void checkInTurn(String operation) {
        Thread current = Thread.currentThread();
        if (turnThread != current) {
            Thread owner = turnThread;
            throw new IllegalStateException(operation + "() of actor \"" + name() + "\" called on thread \""
                    + current.getName() + "\" outside the actor's turn (the actor is "
                    + (owner == null ? "idle" : "running on thread \"" + owner.getName() + "\"")
                    + "): touch an actor's state only inside its own actions, hooks, timers and reactions;"
                    + " bring work from other threads back with pipeToSelf() or mailboxExecutor()");
        }
    }

    Actor<S> instance() {
        return instance;
    }

    int generation() {
        return generation;
    }

    S workingState() {
        return working;
    }

    void setWorkingState(S state) {
        working = state;
    }

    void emitInTurn(String event, Object payload) {
        if (pendingEvents == null) {
            pendingEvents = new ArrayList<>(4);
        }
        pendingEvents.add(new ActorEvent(name(), event, payload));
    }

    @SuppressWarnings("unchecked")
    <A, T> ActorClient<A, T> dependency(ActorToken<A, T> dependency) {
        return ((ActorCell<T>) dependencyCell(dependency)).client();
    }

    private ActorCell<?> dependencyCell(ActorToken<?, ?> dependency) {
        Objects.requireNonNull(dependency, "dependency");
        ActorCell<?> cell = dependencies.get(dependency);
        if (cell == null) {
            throw new IllegalArgumentException("actor \"" + name() + "\" did not declare a dependency on \""
                    + dependency.name() + "\": list it among the dependencies when registering \"" + name()
                    + "\" (declared: "
                    + dependencies.keySet().stream().map(ActorToken::name).toList() + ")");
        }
        return cell;
    }

    Cancellable scheduleOnce(Duration delay, Runnable task) {
        return timers().scheduleOnce(generation, delay, task);
    }

    Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
        return timers().scheduleAtFixedRate(generation, initialDelay, period, task);
    }

    private Timers timers() {
        if (timers == null) {
            timers = new Timers(system.timer(), this);
        }
        return timers;
    }

    /** The turn's thread only: whether a message waits behind the one being handled. */
    boolean messagesWaiting() {
        return mailbox.hasNext();
    }

    Executor instanceExecutor(String taskName) {
        int gen = generation;
        return task -> enqueueTask(taskName, gen, task);
    }

    @SuppressWarnings("unchecked")
    <T> Subscription reactToState(ActorToken<?, T> dependency, Consumer<? super T> reaction) {
        Objects.requireNonNull(reaction, "reaction");
        ActorCell<T> source = (ActorCell<T>) dependencyCell(dependency);
        return reactions().toState(generation, source.name(), source.listeners(), reaction);
    }

    /** @param eventName only events of this name, or all if null */
    Subscription reactToEvents(ActorToken<?, ?> dependency, String eventName, Consumer<? super ActorEvent> reaction) {
        Objects.requireNonNull(reaction, "reaction");
        ActorCell<?> source = dependencyCell(dependency);
        return reactions().toEvents(generation, source.name(), source.listeners(), eventName, reaction);
    }

    Subscription watch(ActorToken<?, ?> dependency) {
        ActorCell<?> source = dependencyCell(dependency);
        return reactions().watch(generation, source.name(), source.listeners(), signal -> {
            try {
                instance.onDown(signal);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("onDown of actor \"" + name() + "\" failed", e);
            }
        });
    }

    private Reactions reactions() {
        if (reactions == null) {
            reactions = new Reactions(this);
        }
        return reactions;
    }

    /** Who listens to this actor; any thread. */
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

    // ---------------------------------------------------------------- sending (any thread)

    void tell(ActionTable.Action action, Object[] args) {
        if (status == ActorStatus.STOPPED) {
            throw new ActorStoppedException(
                    name(), "actor \"" + name() + "\" is stopped: tell " + action.name() + "() refused");
        }
        Message refused = enqueue(new ActionMessage(action, args));
        if (refused != null) {
            throw refusal(refused, action.name(), "tell");
        }
    }

    CompletableFuture<Object> ask(
            ActionTable.Action action, Object[] args, Duration timeout, Executor callbackExecutor) {
        AskReply reply = new AskReply(this, action, timeout, System.nanoTime() + timeout.toNanos());
        if (status == ActorStatus.STOPPED) {
            reply.completeExceptionally(new ActorStoppedException(
                    name(), "actor \"" + name() + "\" is stopped: ask " + action.name() + "() refused"));
            return deliverOn(reply, callbackExecutor);
        }
        system.askTimeouts().register(reply);
        Message refused = enqueue(new AskMessage(action, args, reply));
        if (refused != null) {
            reply.completeExceptionally(refusal(refused, action.name(), "ask"));
        }
        return deliverOn(reply, callbackExecutor);
    }

    private static CompletableFuture<Object> deliverOn(CompletableFuture<Object> reply, Executor executor) {
        if (executor == null) {
            return reply;
        }
        CompletableFuture<Object> delivered = new CompletableFuture<>();
        reply.whenComplete((value, error) -> {
            Runnable complete = () -> {
                if (error != null) {
                    delivered.completeExceptionally(error);
                } else {
                    delivered.complete(value);
                }
            };
            try {
                executor.execute(complete);
            } catch (RuntimeException rejected) {
                complete.run();
            }
        });
        return delivered;
    }

    private RuntimeException refusal(Message refused, String action, String kind) {
        if (refused instanceof StoppedMarker) {
            return new ActorStoppedException(
                    name(), "actor \"" + name() + "\" is stopped: " + kind + " " + action + "() refused");
        }
        return new MailboxOverflowException(
                name(),
                "mailbox of actor \"" + name() + "\" is full (" + mailbox.size() + " messages waiting): " + kind + " "
                        + action + "() refused");
    }

    /** Returned by {@link #enqueue} when the actor stopped meanwhile. */
    private static final class StoppedMarker extends TaskMessage0 {}

    private static final Message STOPPED = new StoppedMarker();

    /**
     * Puts a message in the mailbox and makes sure the actor will run.
     *
     * @return null if accepted; the refused message (as offered, possibly timed) if the mailbox is
     *     full; a marker if stopped
     */
    Message enqueue(Message message) {
        if (status == ActorStatus.STOPPED) {
            return STOPPED;
        }
        Message queued = monitor != ActorMonitor.NONE ? new TimedMessage(message, System.nanoTime()) : message;
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
        wake();
        return null;
    }

    @Override
    public void enqueueTask(String taskName, int generation, Runnable task) {
        if (enqueue(new TaskMessage(taskName, generation, task)) != null) {
            LOG.debug("actor \"{}\" dropped {}: it is stopped or its mailbox is full", name(), taskName);
        }
    }

    @Override
    public boolean inTurn() {
        return turnThread == Thread.currentThread();
    }

    private void wake() {
        if ((!suspended || stopRequested) && claim()) {
            dispatcher.schedule(this);
        }
    }

    // ---------------------------------------------------------------- turns

    /** Runs a batch of turns. Called only by the dispatcher, only while this cell is claimed. */
    @Override
    public void run() {
        turnThread = Thread.currentThread();
        try {
            if (status == ActorStatus.STOPPED) {
                endInstance();
                dropAll();
                return;
            }
            int budget = dispatcher.throughput();
            while (!suspended || stopRequested) {
                if (restartPending) {
                    if (stopRequested) {
                        restartPending = false;
                        stopInTurn(restartCause);
                        break;
                    }
                    process(new RestartStep());
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
                if (status == ActorStatus.STOPPED) {
                    endInstance();
                    dropAll();
                    break;
                }
            }
        } finally {
            turnThread = null;
            release();
            if ((!suspended || stopRequested) && (restartPending || mailbox.hasNext()) && claim()) {
                dispatcher.reschedule(this);
            }
        }
    }

    private void process(Message message) {
        boolean monitored = monitor != ActorMonitor.NONE;
        long started = monitored ? System.nanoTime() : 0;
        int depth = monitored ? mailbox.size() + 1 : 0;
        working = committed;
        MessageTrace.Outcome outcome;
        Throwable failure = null;
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
        }
        if (monitored) {
            report(new MessageTrace(
                    name(),
                    message.kind(),
                    message.name(),
                    message.enqueuedNanos(),
                    started,
                    System.nanoTime(),
                    depth,
                    outcome,
                    failure));
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
        ArrayList<ActorEvent> events = pendingEvents;
        if (events != null) {
            pendingEvents = null;
            for (ActorEvent event : events) {
                publishEvent(event);
            }
        }
    }

    private void publishEvent(ActorEvent event) {
        Listeners<S> l = listeners;
        if (l != null) {
            l.publishEvent(event);
        }
    }

    void tellFailed(String action, Throwable cause) {
        LOG.warn("actor \"{}\": tell {}() failed; the message is dropped and the state kept", name(), action, cause);
        publishEvent(new ActorEvent(name(), ActorEvent.ACTION_FAILED, new ActionFailed(action, cause)));
    }

    void taskFailed(String task, Throwable cause) {
        LOG.warn("actor \"{}\": {} failed; the state is kept", name(), task, cause);
        publishEvent(new ActorEvent(name(), ActorEvent.ACTION_FAILED, new ActionFailed(task, cause)));
    }

    private void report(MessageTrace trace) {
        try {
            monitor.onMessage(trace);
        } catch (Throwable e) {
            LOG.warn("actor monitor threw on a message of \"{}\"; ignored", name(), e);
        }
    }

    private void traceDropped(Message message, String why) {
        LOG.debug("actor \"{}\": message {} {}", name(), message.name(), why);
        if (monitor != ActorMonitor.NONE) {
            long now = System.nanoTime();
            report(new MessageTrace(
                    name(),
                    message.kind(),
                    message.name(),
                    message.enqueuedNanos(),
                    now,
                    now,
                    mailbox.size(),
                    MessageTrace.Outcome.DROPPED,
                    null));
        }
    }

    /** Moves to {@code next}; nothing leaves STOPPED. */
    private void setStatus(ActorStatus next, Throwable cause) {
        synchronized (this) {
            if (status == ActorStatus.STOPPED) {
                return;
            }
            status = next;
        }
        if (monitor != ActorMonitor.NONE) {
            try {
                monitor.onStatusChanged(name(), next, cause);
            } catch (Throwable e) {
                LOG.warn("actor monitor threw on a status change of \"{}\"; ignored", name(), e);
            }
        }
    }

    // ---------------------------------------------------------------- lifecycle (in turn)

    private Actor<S> newInstance() {
        Actor<S> made = factory.get();
        if (made == null) {
            throw new IllegalStateException("the factory of actor \"" + name() + "\" returned null");
        }
        if (!token.actions().isInstance(made)) {
            throw new IllegalStateException("the factory of actor \"" + name() + "\" returned a "
                    + made.getClass().getName() + ", which does not implement its actions interface "
                    + token.actions().getName());
        }
        made.bind(this);
        return made;
    }

    void startFirstInstance() throws Exception {
        instance.onStart();
        setStatus(ActorStatus.RUNNING, null);
    }

    /** A restart's first turn: a fresh instance, its onRestart and onStart. */
    private final class RestartStep extends TaskMessage0 {
        @Override
        void run(ActorCell<?> cell) throws Throwable {
            restartPending = false;
            Throwable cause = restartCause;
            restartCause = null;
            Actor<S> fresh = newInstance();
            generation++;
            instance = fresh;
            working = fresh.initialState();
            fresh.onRestart(cause);
            fresh.onStart();
            supervisor.restarted();
            setStatus(ActorStatus.RUNNING, null);
            LOG.info("actor \"{}\" restarted after: {}", name(), String.valueOf(cause));
        }

        @Override
        boolean failsInstance() {
            return true;
        }

        @Override
        String name() {
            return "restart";
        }
    }

    private void instanceFailed(Throwable cause) {
        LOG.error("actor \"{}\" failed", name(), cause);
        endInstance();
        if (supervisor == null) {
            supervisor = new Supervisor(
                    supervision,
                    System::nanoTime,
                    () -> ThreadLocalRandom.current().nextDouble());
        }
        Supervisor.Decision decision = supervisor.onFailure();
        if (decision instanceof Supervisor.Stop stop) {
            LOG.error("actor \"{}\" stops: {}", name(), stop.why());
            stopInTurn(cause);
            return;
        }
        setStatus(ActorStatus.RESTARTING, cause);
        restartPending = true;
        restartCause = cause;
        long delay = ((Supervisor.Restart) decision).delayNanos();
        if (delay > 0) {
            suspended = true;
            system.timer().schedule(this::resumeAfterBackoff, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void resumeAfterBackoff() {
        suspended = false;
        if (claim()) {
            dispatcher.reschedule(this);
        }
    }

    /** Ends the current instance: cancels its timers and reactions, then runs its onStop. */
    private void endInstance() {
        Actor<S> ending = instance;
        if (ending == null) {
            return;
        }
        instance = null;
        generation++;
        if (timers != null) {
            timers.cancelAll();
        }
        if (reactions != null) {
            reactions.cancelAll();
        }
        try {
            ending.onStop();
        } catch (Throwable e) {
            LOG.warn("onStop of actor \"{}\" threw; ignored", name(), e);
        }
    }

    /** Stops for good, inside a turn: the last instance ends, waiting messages are refused. */
    void stopInTurn(Throwable cause) {
        if (status == ActorStatus.STOPPED) {
            return;
        }
        endInstance();
        setStatus(ActorStatus.STOPPED, cause);
        dropAll();
        announceDown(new Down(name(), cause));
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

    private void announceDown(Down signal) {
        listeners().announceDown(signal);
    }

    // ---------------------------------------------------------------- stopping (system thread)

    /**
     * Asks the actor to stop after the messages already waiting; completes when it has.
     */
    CompletableFuture<Void> stopGracefully() {
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
    void forceStop(String why) {
        if (status == ActorStatus.STOPPED) {
            return;
        }
        LOG.warn("actor \"{}\" force-stopped: {}", name(), why);
        ActorStoppedException cause =
                new ActorStoppedException(name(), "actor \"" + name() + "\" was force-stopped: " + why);
        setStatus(ActorStatus.STOPPED, cause);
        announceDown(new Down(name(), cause));
        if (claim()) {
            dispatcher.reschedule(this);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A framework message with no instance binding. */
    private abstract static class TaskMessage0 extends Message {
        @Override
        void run(ActorCell<?> cell) throws Throwable {}

        @Override
        void drop(Throwable reason) {}

        @Override
        void failed(ActorCell<?> cell, Throwable cause) {}

        @Override
        MessageTrace.Kind kind() {
            return MessageTrace.Kind.TASK;
        }

        @Override
        String name() {
            return "marker";
        }
    }
}
