package dev.ensemble.core.internal.tree;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.internal.cell.ActorCell;
import java.util.Map;
import java.util.function.Supplier;

/**
 * INTERNAL API: what a tree needs from its system: cells made with the system's services and
 * dispatchers and listed among its actors, and the actors of the root that workers may use.
 */
public interface CellMaker {
    /**
     * Makes and lists a cell; it does not start it.
     *
     * @param path the actor's path, which is also its name
     * @param pooled true for a pool's replica: its mailbox keeps a count, read by routing and resizing
     */
    <S> ActorCell<S> make(
            ActorToken<?, S> token,
            String path,
            Supplier<? extends Actor<S>> factory,
            ActorProps props,
            Map<ActorToken<?, ?>, ActorCell<?>> dependencies,
            boolean pooled);

    /** Unlists a cell that stopped for good because its pool shrank, and frees its thread. */
    void remove(ActorCell<?> cell);

    /**
     * @param name an actor of the system's root
     * @return its cell, or null if there is none
     */
    ActorCell<?> rootActor(String name);
}
