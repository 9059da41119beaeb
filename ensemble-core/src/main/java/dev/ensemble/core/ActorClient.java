package dev.ensemble.core;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The only way code talks to an actor: its actions, a cached snapshot of its state, and
 * subscriptions to its state, its events and its end.
 *
 * <h2>Actions</h2>
 * {@link #actions()} is a proxy of the actor's actions interface. Calling a {@code void} method
 * is a <em>tell</em>: the call enqueues a message and returns at once. Calling a method that
 * returns a {@code CompletableFuture} or {@code CompletionStage} is an <em>ask</em>: the returned
 * future completes with the actor's answer, fails with what the action threw, or fails with a
 * {@link java.util.concurrent.TimeoutException} naming the actor and the action after the ask
 * timeout ({@link #withAskTimeout(Duration)} for a per-call value). A call to a stopped actor
 * fails fast: a tell throws {@link ActorStoppedException}, an ask returns a future failed with it.
 * So does a call that races the actor's stop or its system's close, whatever thread the actor
 * ran on; a call never throws an executor's exception. Messages from one sender thread arrive
 * in the order sent.
 *
 * <h2>State</h2>
 * {@link #state()} returns the snapshot published by the actor's latest committed turn. It never
 * blocks and never goes backwards. When an ask's future completes, the snapshot already includes
 * that action's changes.
 *
 * <h2>Listeners</h2>
 * State listeners receive each new snapshot once per turn that changed it, in order; event
 * listeners receive each emitted {@link ActorEvent} in order. Each listener runs on the client's
 * callback executor ({@link #withCallbackExecutor(Executor)}, for example
 * {@code SwingUtilities::invokeLater}; by default the system's shared pool), one notification at a
 * time. A listener that throws is logged and does not affect other listeners. Every registration
 * returns a {@link Subscription} that removes it.
 *
 * <p>An ask's future completes on the callback executor when the view has one. Without one it
 * completes on the thread that answered, usually the actor's own thread at the end of its turn:
 * keep dependent stages short there, or use the {@code ...Async} variants of
 * {@code CompletableFuture}, and never block on another ask from inside them.
 *
 * <pre>{@code
 * ActorClient<CounterActions, Integer> counter = system.client(COUNTER);
 * counter.actions().increment();                        // tell
 * int now = counter.actions().get().join();             // ask
 * Subscription s = counter.withCallbackExecutor(SwingUtilities::invokeLater)
 *     .onState(value -> label.setText("count: " + value));
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any thread. Clients are cheap immutable views:
 * the {@code with} methods return new views of the same actor.
 *
 * @param <A> the actor's actions interface
 * @param <S> the actor's state type
 */
public interface ActorClient<A, S> {
    /** @return the actor's name */
    String name();

    /**
     * Its place in the system: {@code /name} for an actor registered with the builder,
     * {@code /namespace/.../name} for one under a supervisor of a tree.
     *
     * @return the actor's absolute path
     */
    default String path() {
        return name().startsWith("/") ? name() : "/" + name();
    }

    /** @return the actor's token */
    ActorToken<A, S> token();

    /**
     * Thread-safe.
     *
     * @return a proxy of the actions interface whose calls become messages to the actor
     */
    A actions();

    /**
     * Thread-safe; never blocks.
     *
     * @return the latest committed state
     */
    S state();

    /**
     * Thread-safe.
     *
     * @return where the actor is in its life
     */
    ActorStatus status();

    /**
     * Subscribes to state changes. Thread-safe.
     *
     * @param listener receives each new state, once per turn that changed it
     * @return a handle that unsubscribes
     */
    Subscription onState(Consumer<? super S> listener);

    /**
     * Subscribes to all events. Thread-safe. Events the actor keeps ({@code emitRetained}) reach
     * the listener at once, so an outcome that happened just before subscribing is not missed.
     *
     * @param listener receives each event in emission order
     * @return a handle that unsubscribes
     */
    Subscription onEvent(Consumer<? super ActorEvent> listener);

    /**
     * Subscribes to the events of one name. Thread-safe. If the actor keeps an event of that name
     * ({@code emitRetained}), the listener receives it at once.
     *
     * @param name the event name to receive
     * @param listener receives those events in emission order
     * @return a handle that unsubscribes
     */
    Subscription onEvent(String name, Consumer<? super ActorEvent> listener);

    /**
     * Watches the actor: the listener is called once when it stops for good, with the cause if it
     * failed. If it has already stopped, the listener is called at once (on the callback
     * executor). Thread-safe.
     *
     * @param listener receives the down signal
     * @return a handle that unsubscribes
     */
    Subscription onDown(Consumer<? super Down> listener);

    /**
     * Thread-safe.
     *
     * @param timeout how long asks made through the returned view wait, positive
     * @return a view of the same actor whose asks use this timeout
     */
    ActorClient<A, S> withAskTimeout(Duration timeout);

    /**
     * Thread-safe.
     *
     * @param executor where listeners registered through the returned view run, and where its
     *     asks' futures complete
     * @return a view of the same actor that calls back on this executor
     */
    ActorClient<A, S> withCallbackExecutor(Executor executor);
}
