package dev.ensemble.core.internal.cell;

/**
 * Which cell's turn runs on the current thread, known only while a {@link CellTap} is installed:
 * the sender of a traced message. A thread-local set and restored per batch of turns (a batch on
 * the calling-thread dispatcher may nest another), never touched when no tap is installed.
 */
final class TurnSenders {
    private static final ThreadLocal<ActorCell<?>> CURRENT = new ThreadLocal<>();

    private TurnSenders() {}

    /** @return the cell whose batch this thread was running before, to hand back to {@link #exit} */
    static ActorCell<?> enter(ActorCell<?> cell) {
        ActorCell<?> outer = CURRENT.get();
        CURRENT.set(cell);
        return outer;
    }

    static void exit(ActorCell<?> outer) {
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }

    /** @return the cell whose turn runs on this thread, or null outside every (tapped) turn */
    static ActorCell<?> current() {
        return CURRENT.get();
    }
}
