package dev.ensemble.core;

import dev.ensemble.core.internal.cell.ActorAccess;
import dev.ensemble.core.internal.cell.TurnContext;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The base class of every actor: private immutable state, handled one message at a time.
 *
 * <p>An actor extends {@code Actor<S>} and implements its actions interface; it is registered
 * with an {@link ActorSystem} under an {@link ActorToken} together with a factory that makes a
 * fresh instance (the factory runs again for each restart, so state starts fresh).
 *
 * <pre>{@code
 * public interface CounterActions {
 *     void increment();                         // tell
 *     CompletableFuture<Integer> get();         // ask
 * }
 *
 * public final class Counter extends Actor<Integer> implements CounterActions {
 *     public Counter() { super(0); }
 *     public void increment() { setState(state() + 1); }
 *     public CompletableFuture<Integer> get() { return CompletableFuture.completedFuture(state()); }
 * }
 * }</pre>
 *
 * <h2>Turns</h2>
 * Each message runs in a <em>turn</em>: its action, timer task, piped result or reaction runs
 * alone on the actor. Changes made with {@link #setState} and events from {@link #emit} take
 * effect when the turn completes: clients then see the new state once, however many times it was
 * set. A turn that throws an exception fails alone: its state changes and events are discarded,
 * an ask's caller receives the exception, a tell's failure is logged and emitted as an
 * {@link ActorEvent#ACTION_FAILED} event, and the next message runs.
 *
 * <h2>Threading</h2>
 * <em>Warning: the protected methods are not thread-safe.</em> Call them only inside the actor's
 * own turn: from its actions, lifecycle hooks, timer tasks, reactions and piped callbacks. A call
 * from any other thread throws {@link IllegalStateException} naming the actor and both threads.
 * Work that finishes elsewhere (a future, a native callback) re-enters through
 * {@link #pipeToSelf} or {@link #mailboxExecutor()}.
 *
 * <h2>Lifecycle</h2>
 * {@link #onStart()} runs in the instance's first turn, after its dependencies have started;
 * {@link #onStop()} in its last, on stop and before a restart replaces it (release native
 * resources there); {@link #onRestart(Throwable)} runs on a fresh instance before its
 * {@code onStart()} after a failure.
 *
 * @param <S> the type of the state: an immutable value, ideally a record
 */
public abstract class Actor<S> {
    static {
        ActorAccess.install(new Access());
    }

    private final S initialState;
    /** Set once by the framework before the first turn: the in-turn half of the actor's cell. */
    private TurnContext<S> cell;

    /**
     * @param initialState the state a fresh instance starts with; may be null only if the
     *     actor's state type allows it
     */
    protected Actor(S initialState) {
        this.initialState = initialState;
    }

    final S initialState() {
        return initialState;
    }

    final void bind(TurnContext<S> cell) {
        if (this.cell != null) {
            throw new IllegalStateException("actor instance of " + getClass().getName()
                    + " is already registered as \"" + this.cell.name() + "\": the factory must return a new"
                    + " instance on every call");
        }
        this.cell = cell;
    }

    private TurnContext<S> cell(String operation) {
        TurnContext<S> c = cell;
        if (c == null) {
            throw new IllegalStateException(
                    operation + "() called on " + getClass().getName()
                            + " before it was started by an ActorSystem (not allowed in its constructor)");
        }
        c.checkInTurn(operation);
        return c;
    }

    /**
     * <em>Not thread-safe</em>: the actor's turn only.
     *
     * @return the actor's name
     */
    protected final String name() {
        return cell("name").name();
    }

    /**
     * <em>Not thread-safe</em>: the actor's turn only.
     *
     * @return the state as of this point of the turn
     */
    protected final S state() {
        return cell("state").workingState();
    }

    /**
     * Replaces the state; published when the turn completes. <em>Not thread-safe</em>: the
     * actor's turn only.
     *
     * @param state the new state, an immutable value
     */
    protected final void setState(S state) {
        cell("setState").setWorkingState(state);
    }

    /**
     * Emits an event to the actor's event listeners when the turn completes.
     * <em>Not thread-safe</em>: the actor's turn only.
     *
     * @param event its name, in the past tense by convention
     * @param payload its data, immutable; may be null
     */
    protected final void emit(String event, Object payload) {
        Objects.requireNonNull(event, "event");
        cell("emit").emitInTurn(event, payload);
    }

    /**
     * Emits an event, as {@link #emit}, and keeps it: a listener that subscribes later (to all
     * events or to this name) receives it at once when it subscribes, so an outcome such as "the
     * document is unavailable" is not lost to a client that subscribed just after it happened.
     * One event is kept per name, the last; it is kept until {@link #clearRetained} (the outcome
     * no longer holds), a restart (it described the failed instance) or the actor's stop. A
     * replayed event may reach a new listener before or after an ordinary event emitted while it
     * subscribes; events that reach it live keep their order. Listeners of a pool's client hear
     * its workers' retained events live only. <em>Not thread-safe</em>: the actor's turn only.
     *
     * @param event its name, in the past tense by convention
     * @param payload its data, immutable; may be null
     */
    protected final void emitRetained(String event, Object payload) {
        Objects.requireNonNull(event, "event");
        cell("emitRetained").emitRetainedInTurn(event, payload);
    }

    /**
     * Stops keeping the event of this name retained by {@link #emitRetained} (when the turn
     * completes); listeners that subscribe afterwards do not receive it. Does nothing if none is
     * kept. <em>Not thread-safe</em>: the actor's turn only.
     *
     * @param event the event name
     */
    protected final void clearRetained(String event) {
        Objects.requireNonNull(event, "event");
        cell("clearRetained").clearRetainedInTurn(event);
    }

    /**
     * <em>Not thread-safe</em>: the actor's turn only.
     *
     * @param dependency a token this actor declared as a dependency at registration
     * @param <A> its actions
     * @param <T> its state
     * @return the dependency's client
     * @throws IllegalArgumentException if the token was not declared as a dependency
     */
    protected final <A, T> ActorClient<A, T> dependency(ActorToken<A, T> dependency) {
        return cell("dependency").dependency(dependency);
    }

    /**
     * This actor's own client, for example to pass as a reply address.
     * <em>Not thread-safe</em>: the actor's turn only.
     *
     * @param <A> this actor's actions interface, as registered
     * @return the client
     */
    protected final <A> ActorClient<A, S> self() {
        return cell("self").client();
    }

    /**
     * The system this actor runs in, for example to spawn actors.
     * <em>Not thread-safe</em>: the actor's turn only.
     *
     * @return the system
     */
    protected final ActorSystem system() {
        return cell("system").system();
    }

    /**
     * Runs {@code task} in a turn of this actor after {@code delay}. Cancelled when the actor stops
     * or restarts. <em>Not thread-safe</em>: the actor's turn only.
     *
     * @param delay how long to wait
     * @param task what to run, in the actor's turn
     * @return a handle that cancels it
     */
    protected final Cancellable scheduleOnce(Duration delay, Runnable task) {
        return cell("scheduleOnce").scheduleOnce(delay, task);
    }

    /**
     * Runs {@code task} in a turn of this actor after {@code initialDelay}, then every
     * {@code period}. If the actor is busy, ticks are not queued up: at most one waits in the
     * mailbox. Cancelled when the actor stops or restarts. <em>Not thread-safe</em>: the actor's
     * turn only.
     *
     * @param initialDelay the wait before the first run
     * @param period the interval between runs, positive
     * @param task what to run, in the actor's turn
     * @return a handle that cancels it
     */
    protected final Cancellable scheduleAtFixedRate(Duration initialDelay, Duration period, Runnable task) {
        return cell("scheduleAtFixedRate").scheduleAtFixedRate(initialDelay, period, task);
    }

    /**
     * When {@code stage} completes, runs {@code handler} with its result or failure in a turn of
     * this actor. Dropped if this instance has been replaced by a restart or stopped meanwhile.
     * <em>Not thread-safe</em>: the actor's turn only.
     *
     * @param stage work completing on another thread
     * @param handler receives (result, null) or (null, failure) inside the actor's turn
     * @param <T> the result type
     */
    protected final <T> void pipeToSelf(CompletionStage<T> stage, BiConsumer<? super T, ? super Throwable> handler) {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(handler, "handler");
        Executor mailbox = cell("pipeToSelf").instanceExecutor("pipeToSelf");
        stage.whenComplete((value, error) -> mailbox.execute(() -> handler.accept(value, error)));
    }

    /**
     * An executor whose tasks run in turns of this instance: hand it to callbacks that arrive on
     * foreign threads (native libraries, sockets). Tasks submitted after this instance stopped or
     * was replaced by a restart are dropped. The returned executor is thread-safe; this method
     * is <em>not</em>: the actor's turn only.
     *
     * @return the executor
     */
    protected final Executor mailboxExecutor() {
        return cell("mailboxExecutor").instanceExecutor("task");
    }

    /**
     * Whether more messages are waiting in this actor's mailbox after the current one: lets an
     * actor put off work that a later turn would redo anyway (refreshing a costly derived value,
     * say) while a backlog is being worked off. Constant time. <em>Not thread-safe</em>: the
     * actor's turn only.
     *
     * <pre>{@code
     * if (!messagesWaiting()) {
     *     setState(rebuildIndex());
     * }
     * }</pre>
     *
     * @return true if at least one message is queued behind the one being handled
     */
    protected final boolean messagesWaiting() {
        return cell("messagesWaiting").messagesWaiting();
    }

    /**
     * Reacts to a dependency's state: {@code reaction} runs in a turn of this actor with each new
     * state of the dependency, in order. Removed when this instance stops or restarts.
     * <em>Not thread-safe</em>: the actor's turn only.
     *
     * @param dependency a declared dependency
     * @param reaction runs in this actor's turn
     * @param <T> the dependency's state type
     * @return a handle that unsubscribes
     */
    protected final <T> Subscription reactToState(ActorToken<?, T> dependency, Consumer<? super T> reaction) {
        return cell("reactToState").reactToState(dependency, reaction);
    }

    /**
     * Reacts to a dependency's events: {@code reaction} runs in a turn of this actor with each
     * event, in order. Removed when this instance stops or restarts.
     * <em>Not thread-safe</em>: the actor's turn only.
     *
     * @param dependency a declared dependency
     * @param reaction runs in this actor's turn
     * @return a handle that unsubscribes
     */
    protected final Subscription reactToEvents(ActorToken<?, ?> dependency, Consumer<? super ActorEvent> reaction) {
        return cell("reactToEvents").reactToEvents(dependency, null, reaction);
    }

    /**
     * Reacts to one kind of a dependency's events: like {@link #reactToEvents(ActorToken, Consumer)},
     * but events of other names are filtered out before they reach this actor's mailbox.
     * <em>Not thread-safe</em>: the actor's turn only.
     *
     * @param dependency a declared dependency
     * @param eventName the event name to receive
     * @param reaction runs in this actor's turn
     * @return a handle that unsubscribes
     */
    protected final Subscription reactToEvents(
            ActorToken<?, ?> dependency, String eventName, Consumer<? super ActorEvent> reaction) {
        Objects.requireNonNull(eventName, "eventName");
        return cell("reactToEvents").reactToEvents(dependency, eventName, reaction);
    }

    /**
     * Watches a dependency: when it stops for good, {@link #onDown(Down)} runs in a turn of this
     * actor. <em>Not thread-safe</em>: the actor's turn only.
     *
     * @param dependency a declared dependency
     * @return a handle that stops watching
     */
    protected final Subscription watch(ActorToken<?, ?> dependency) {
        return cell("watch").watch(dependency);
    }

    /**
     * Publishes a named message to this actor's namespace, without knowing who receives it: the
     * namespace's supervisor routes it to the children that handle the name, or forwards it,
     * renamed, to other namespaces ({@link dev.ensemble.core.bus.RoutingTable}). A message nobody
     * handles becomes a {@link dev.ensemble.core.bus.DeadLetter}. Routed at once, like a tell:
     * one actor's messages reach each handler in the order published. An actor at the system's
     * root publishes to the root namespace, which routes nothing. <em>Not thread-safe</em>: the
     * actor's turn only.
     *
     * <pre>{@code
     * publish("file_read", new FileRequest(path));
     * }</pre>
     *
     * @param messageName the message's name in this namespace
     * @param data its payload, immutable; may be null
     */
    protected final void publish(String messageName, Object data) {
        Objects.requireNonNull(messageName, "messageName");
        cell("publish").publishInTurn(messageName, data);
    }

    /**
     * Gives up on this instance: the turn ends here, its changes are discarded, and the supervisor
     * restarts the actor with fresh state or stops it. Use it when the state can no longer be
     * trusted. <em>Not thread-safe</em>: the actor's turn only.
     *
     * @param cause why
     * @return never returns normally; declared so that callers can write {@code throw crash(e)}
     */
    protected final Error crash(Throwable cause) {
        throw cell("crash").crash(Objects.requireNonNull(cause, "cause"));
    }

    /**
     * Runs in the first turn of every instance. An exception thrown here fails
     * {@link ActorSystem.Builder#start()} for the first instance, and counts as a failure for a
     * restarted one; either way {@link #onStop()} still runs, to release what was acquired.
     *
     * @throws Exception to fail the start
     */
    protected void onStart() throws Exception {}

    /**
     * Runs in the last turn of an instance: when the actor stops, and when a failure makes the
     * supervisor replace it. Release resources here. Exceptions are logged.
     *
     * @throws Exception logged, otherwise ignored
     */
    protected void onStop() throws Exception {}

    /**
     * Runs on a fresh instance after a failure, before its {@link #onStart()}.
     *
     * @param cause the failure that replaced the previous instance
     * @throws Exception counts as a failure of the new instance
     */
    protected void onRestart(Throwable cause) throws Exception {}

    /**
     * Runs in this actor's turn when a watched actor stops for good.
     *
     * @param down which actor, and why
     * @throws Exception fails this message only
     */
    protected void onDown(Down down) throws Exception {}

    /**
     * A convenience for asks: a future already completed with {@code value}.
     *
     * @param value the answer
     * @param <T> its type
     * @return the completed future
     */
    protected static <T> CompletableFuture<T> reply(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** Lets the cell, in an internal package, reach what applications do not call. */
    private static final class Access extends ActorAccess {
        @Override
        protected <S> void bind(Actor<S> actor, TurnContext<S> cell) {
            actor.bind(cell);
        }

        @Override
        protected <S> S initialState(Actor<S> actor) {
            return actor.initialState();
        }

        @Override
        protected void onStart(Actor<?> actor) throws Exception {
            actor.onStart();
        }

        @Override
        protected void onStop(Actor<?> actor) throws Exception {
            actor.onStop();
        }

        @Override
        protected void onRestart(Actor<?> actor, Throwable cause) throws Exception {
            actor.onRestart(cause);
        }

        @Override
        protected void onDown(Actor<?> actor, Down down) throws Exception {
            actor.onDown(down);
        }
    }
}
