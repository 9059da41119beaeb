package dev.ensemble.core.internal.cell;

import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.Down;
import dev.ensemble.core.Subscription;
import java.util.LinkedHashSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What one actor instance listens to among its dependencies: their states, their events and
 * their ends (watches). Each notification is delivered into this actor's mailbox as a task for
 * the instance that subscribed, so the reaction runs in that instance's turn and never runs for
 * an instance that replaced it. {@link #cancelAll()} ends every subscription when the instance
 * ends (the actor stops or restarts).
 *
 * <p>Made by the cell at the actor's first reaction or watch.
 *
 * <p>Threading: subscribing and {@link #cancelAll()} in the actor's turn, which owns the set of
 * live subscriptions. Notifications arrive on the dependency's thread. A returned
 * {@link Subscription} may be cancelled from any thread, and is forgotten at once only when
 * cancelled in the turn (otherwise the set keeps it until the instance ends).
 */
final class Reactions {
    private final InstanceTasks actor;
    /** Turn-owned: how to end each live subscription of the current instance. */
    private final LinkedHashSet<Runnable> live = new LinkedHashSet<>();

    Reactions(InstanceTasks actor) {
        this.actor = actor;
    }

    /** Runs {@code reaction} in turns of instance {@code generation} with each new state of {@code source}. */
    <T> Subscription toState(
            int generation, String source, Function<Listener<T>, Subscription> from, Consumer<? super T> reaction) {
        MailboxListener<T> listener = new MailboxListener<>("reaction to state of " + source, generation, reaction);
        return endingWithTheInstance(from.apply(listener));
    }

    /**
     * Runs {@code reaction} in turns of instance {@code generation} with each event of
     * {@code source}, or only those named {@code eventName} if it is not null.
     */
    Subscription toEvents(
            int generation,
            String source,
            Function<Listener<ActorEvent>, Subscription> from,
            String eventName,
            Consumer<? super ActorEvent> reaction) {
        MailboxListener<ActorEvent> listener =
                new MailboxListener<>("reaction to events of " + source, generation, reaction);
        Listener<ActorEvent> registered = eventName == null
                ? listener
                : new Listener<>() {
                    @Override
                    public void deliver(ActorEvent event) {
                        if (event.name().equals(eventName)) {
                            listener.deliver(event);
                        }
                    }

                    @Override
                    public void cancel() {
                        listener.cancel();
                    }
                };
        return endingWithTheInstance(from.apply(registered));
    }

    /** Runs {@code onDown} in a turn of instance {@code generation} when {@code source} stops for good. */
    Subscription watch(
            int generation, String source, Function<Listener<Down>, Subscription> from, Consumer<Down> onDown) {
        MailboxListener<Down> listener = new MailboxListener<>("down of " + source, generation, onDown);
        return endingWithTheInstance(from.apply(listener));
    }

    /**
     * Subscribes through a client rather than a local actor's listeners: how an actor reacts to a
     * dependency that runs on another node (its client is the remote layer's). The client calls the
     * listener in order on its callback executor; the listener only enqueues into this actor's
     * mailbox, so the reaction still runs in this actor's turn.
     *
     * @param subscribe the client's {@code onState}, {@code onEvent} or {@code onDown}
     * @param <T> what it delivers
     * @return how to subscribe a listener through it
     */
    static <T> Function<Listener<T>, Subscription> fromClient(Function<Consumer<T>, Subscription> subscribe) {
        return listener -> {
            Subscription subscription = subscribe.apply(listener::deliver);
            return () -> {
                listener.cancel();
                subscription.cancel();
            };
        };
    }

    /** The instance ended: none of its subscriptions delivers again. In the turn. */
    void cancelAll() {
        Runnable[] ending = live.toArray(new Runnable[0]);
        live.clear();
        for (Runnable cancel : ending) {
            cancel.run();
        }
    }

    /** @return how many subscriptions of the current instance are live; in the turn */
    int liveCount() {
        return live.size();
    }

    private Subscription endingWithTheInstance(Subscription subscription) {
        Runnable cancel = subscription::cancel;
        live.add(cancel);
        return () -> {
            subscription.cancel();
            if (actor.inTurn()) {
                live.remove(cancel);
            }
        };
    }

    /** Delivers into the actor's mailbox, so that the reaction runs in the subscribing instance's turn. */
    private final class MailboxListener<T> implements Listener<T> {
        private final String taskName;
        private final int generation;
        private final Consumer<? super T> reaction;
        private volatile boolean cancelled;

        MailboxListener(String taskName, int generation, Consumer<? super T> reaction) {
            this.taskName = taskName;
            this.generation = generation;
            this.reaction = reaction;
        }

        @Override
        public void deliver(T value) {
            if (!cancelled) {
                actor.enqueueTask(taskName, generation, () -> {
                    if (!cancelled) {
                        reaction.accept(value);
                    }
                });
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
