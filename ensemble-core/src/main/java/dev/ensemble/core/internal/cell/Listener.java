package dev.ensemble.core.internal.cell;

/** A subscriber to an actor's state, events or end, as the actor's cell sees it. */
interface Listener<T> {
    /** Hands over one notification; must not block. Called by the owning actor's turn. */
    void deliver(T value);

    /** Stops further deliveries. */
    void cancel();
}
