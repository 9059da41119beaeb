package dev.ensemble.core.internal.cell;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Cancellable;
import dev.ensemble.core.Down;
import dev.ensemble.core.Subscription;
import dev.ensemble.core.internal.dispatch.Dispatchable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: the current actor instance and what it may do inside its turn: read and set its
 * state, emit events, reach its dependencies and itself, set timers, react to and watch its
 * dependencies, and bring work from other threads back into its turns. Each of {@link Actor}'s
 * protected methods checks {@link #checkInTurn} and calls the method of the same name here; they
 * are documented there. An instance's timers and reactions end with it ({@link #endInstance}).
 *
 * <p>This is the half of an {@link ActorCell} that its instance calls; the cell itself (mailbox,
 * turn loop, lifecycle) is the only subclass. A superclass rather than an object of its own, so
 * that an actor costs one object rather than two, and a turn's state is one field away from both
 * halves: an idle actor's size is one of the benchmarks' targets (docs/BENCHMARKS.md).
 *
 * <p>Threading: the mutable fields are turn-owned (see {@link ActorCell}), except the client,
 * which is made once for any thread. Every method is for the turn's thread, except
 * {@link #inTurn()}, {@link #name()}, {@link #token()}, {@link #system()} and {@link #client()}.
 *
 * @param <S> the actor's state type
 */
public abstract class TurnContext<S> extends Dispatchable implements InstanceTasks {
    private static final Logger LOG = LoggerFactory.getLogger(TurnContext.class);
    static final ActorAccess ACTORS = ActorAccess.get();

    final SystemServices services;
    final ActorToken<?, S> token;
    /** The token's name for an actor of the system's root, its path for one under a supervisor. */
    private final String name;

    private final Supplier<? extends Actor<S>> factory;
    private final Map<ActorToken<?, ?>, ActorCell<?>> dependencies;
    /**
     * Dependencies that the system's configuration places on other nodes: their remote clients.
     * Set once before the actor starts ({@link #placedDependencies}), read in turns.
     */
    private volatile Map<ActorToken<?, ?>, ActorClient<?, ?>> placed = Map.of();

    /** Created on first use; guarded by {@code this} for creation. Any thread. */
    private volatile DefaultActorClient<?, S> client;

    /** The thread running the current turn, or null between turns. */
    Thread turnThread;
    /** The current instance; null once the last one ended. */
    Actor<S> instance;
    /** Which instance runs; incremented when one ends, so that work bound to it is skipped. */
    int generation;
    /** The state as the turn has set it so far; committed when the turn succeeds. */
    S working;
    /**
     * What the turn emitted, in order: {@link ActorEvent}s, {@link Retained} events and
     * {@link Cleared} retentions; published when it commits.
     */
    ArrayList<Object> pendingEvents;
    /** The class of the latest instance (simple name), for inspectors; written when one is made. */
    private volatile String instanceType;
    /** The bus of the actor's namespace; set by its supervisor before start, else the root's. */
    private volatile BusEndpoint bus;
    /** Made when the actor sets its first timer. */
    private Timers timers;
    /** Made at the actor's first reaction or watch. */
    private Reactions reactions;

    TurnContext(
            SystemServices services,
            ActorToken<?, S> token,
            String name,
            Supplier<? extends Actor<S>> factory,
            Map<ActorToken<?, ?>, ActorCell<?>> dependencies) {
        this.services = services;
        this.token = token;
        this.name = name;
        this.factory = factory;
        this.dependencies = dependencies;
    }

    /** @return the actor's name: its token's name at the root, its path under a supervisor */
    public String name() {
        return name;
    }

    /** @return the simple class name of its latest instance; any thread */
    public String instanceType() {
        return instanceType;
    }

    /** @return the actor's token */
    public ActorToken<?, S> token() {
        return token;
    }

    /**
     * The actor's own client, the one its system hands out too; made on first use.
     *
     * @param <A> the actions interface, as registered
     * @return the client
     */
    @SuppressWarnings("unchecked")
    public final <A> ActorClient<A, S> client() {
        DefaultActorClient<?, S> c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = new DefaultActorClient<>(
                            (ActorCell<S>) this, (ActorToken<Object, S>) token, services.defaultAskTimeout(), null);
                    client = c;
                }
            }
        }
        return (ActorClient<A, S>) c;
    }

    /** @return whether a message waits behind the one being handled */
    public abstract boolean messagesWaiting();

    /** @return the system the actor runs in */
    public ActorSystem system() {
        return services.system();
    }

    @Override
    public boolean inTurn() {
        return turnThread == Thread.currentThread();
    }

    /** @throws IllegalStateException naming the actor and both threads, unless called in the turn */
    public void checkInTurn(String operation) {
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

    public S workingState() {
        return working;
    }

    public void setWorkingState(S state) {
        working = state;
    }

    public void emitInTurn(String event, Object payload) {
        if (pendingEvents == null) {
            pendingEvents = new ArrayList<>(4);
        }
        pendingEvents.add(new ActorEvent(name(), event, payload));
    }

    /** An event kept for listeners that subscribe later, until cleared or replaced. */
    public void emitRetainedInTurn(String event, Object payload) {
        if (pendingEvents == null) {
            pendingEvents = new ArrayList<>(4);
        }
        pendingEvents.add(new Retained(new ActorEvent(name(), event, payload)));
    }

    /** Forgets the retained event of this name once the turn commits. */
    public void clearRetainedInTurn(String event) {
        if (pendingEvents == null) {
            pendingEvents = new ArrayList<>(4);
        }
        pendingEvents.add(new Cleared(event));
    }

    /** A pending event that is also kept for later listeners. */
    record Retained(ActorEvent event) {}

    /** A pending end of the retention of the events of one name. */
    record Cleared(String name) {}

    /** Places the actor in a namespace of a tree: its publications go to that namespace's bus. */
    public void publishesTo(BusEndpoint endpoint) {
        this.bus = endpoint;
    }

    /** Publishes a bus message now, in the turn: see {@link BusEndpoint#publish}. */
    public void publishInTurn(String messageName, Object data) {
        BusEndpoint endpoint = bus;
        String path = name.startsWith("/") ? name : "/" + name;
        (endpoint != null ? endpoint : services.rootBus()).publish(path, messageName, data);
    }

    /** @return the error to throw: it ends the turn as a failure of the instance */
    public Error crash(Throwable cause) {
        return new ActorCrash(cause);
    }

    /**
     * Gives the actor the clients of its dependencies that run on other nodes (the system's
     * configuration places them there), before it starts. Any thread, before the start.
     *
     * @param clients dependency token to the remote layer's client
     */
    public void placedDependencies(Map<ActorToken<?, ?>, ActorClient<?, ?>> clients) {
        this.placed = Map.copyOf(clients);
    }

    @SuppressWarnings("unchecked")
    public <A, T> ActorClient<A, T> dependency(ActorToken<A, T> dependency) {
        ActorClient<?, ?> remote = placed.get(Objects.requireNonNull(dependency, "dependency"));
        if (remote != null) {
            return (ActorClient<A, T>) remote;
        }
        return ((ActorCell<T>) dependencyCell(dependency)).client();
    }

    /** @return the client of a dependency placed on another node, or null if it runs here */
    private ActorClient<?, ?> placedDependency(ActorToken<?, ?> dependency) {
        return placed.get(Objects.requireNonNull(dependency, "dependency"));
    }

    private ActorCell<?> dependencyCell(ActorToken<?, ?> dependency) {
        Objects.requireNonNull(dependency, "dependency");
        ActorCell<?> cell = dependencies.get(dependency);
        if (cell == null) {
            List<String> declared = new ArrayList<>();
            dependencies.keySet().forEach(token -> declared.add(token.name()));
            placed.keySet().forEach(token -> declared.add(token.name()));
            throw new IllegalArgumentException("actor \"" + name() + "\" did not declare a dependency on \""
                    + dependency.name() + "\": list it among the dependencies when registering \"" + name()
                    + "\" (declared: " + declared + ")");
        }
        return cell;
    }

    public Cancellable scheduleOnce(Duration delay, Runnable task) {
        return timers().scheduleOnce(generation, delay, task);
    }

    public Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
        return timers().scheduleAtFixedRate(generation, initialDelay, period, task);
    }

    private Timers timers() {
        if (timers == null) {
            timers = new Timers(services.timer(), this);
        }
        return timers;
    }

    /** @return an executor whose tasks run in turns of the current instance */
    public Executor instanceExecutor(String taskName) {
        int gen = generation;
        return task -> enqueueTask(taskName, gen, task);
    }

    @SuppressWarnings("unchecked")
    public <T> Subscription reactToState(ActorToken<?, T> dependency, Consumer<? super T> reaction) {
        Objects.requireNonNull(reaction, "reaction");
        ActorClient<?, T> remote = (ActorClient<?, T>) placedDependency(dependency);
        if (remote != null) {
            return reactions().toState(generation, remote.name(), Reactions.fromClient(remote::onState), reaction);
        }
        ActorCell<T> source = (ActorCell<T>) dependencyCell(dependency);
        return reactions().toState(generation, source.name(), source.listeners()::addState, reaction);
    }

    /** @param eventName only events of this name, or all if null */
    public Subscription reactToEvents(
            ActorToken<?, ?> dependency, String eventName, Consumer<? super ActorEvent> reaction) {
        Objects.requireNonNull(reaction, "reaction");
        ActorClient<?, ?> remote = placedDependency(dependency);
        if (remote != null) {
            return reactions()
                    .toEvents(generation, remote.name(), Reactions.fromClient(remote::onEvent), eventName, reaction);
        }
        ActorCell<?> source = dependencyCell(dependency);
        return reactions().toEvents(generation, source.name(), source.listeners()::addEvent, eventName, reaction);
    }

    public Subscription watch(ActorToken<?, ?> dependency) {
        ActorClient<?, ?> remote = placedDependency(dependency);
        if (remote != null) {
            return reactions()
                    .watch(generation, remote.name(), Reactions.fromClient(remote::onDown), this::deliverDown);
        }
        ActorCell<?> source = dependencyCell(dependency);
        return reactions().watch(generation, source.name(), source.listeners()::addDown, this::deliverDown);
    }

    /** Runs the current instance's onDown with a watched dependency's down signal, in the turn. */
    private void deliverDown(Down signal) {
        try {
            ACTORS.onDown(instance, signal);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("onDown of actor \"" + name() + "\" failed", e);
        }
    }

    private Reactions reactions() {
        if (reactions == null) {
            reactions = new Reactions(this);
        }
        return reactions;
    }

    /** @return a fresh instance from the actor's factory, bound to this cell */
    final Actor<S> newInstance() {
        Actor<S> made = factory.get();
        if (made == null) {
            throw new IllegalStateException("the factory of actor \"" + name() + "\" returned null");
        }
        if (!token.actions().isInstance(made)) {
            throw new IllegalStateException("the factory of actor \"" + name() + "\" returned a "
                    + made.getClass().getName() + ", which does not implement its actions interface "
                    + token.actions().getName());
        }
        ACTORS.bind(made, this);
        if (instanceType == null || !instanceType.equals(made.getClass().getSimpleName())) {
            instanceType = made.getClass().getSimpleName();
        }
        return made;
    }

    /**
     * Ends the current instance (it stops, or failed and is about to be replaced): work still
     * bound to it is skipped from now on, its timers and reactions end, then its onStop runs.
     */
    final void endInstance() {
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
            ACTORS.onStop(ending);
        } catch (Throwable e) {
            LOG.warn("onStop of actor \"{}\" threw; ignored", name(), e);
        }
    }
}
