package dev.ensemble.core.internal.cell;

import dev.ensemble.core.Actor;
import dev.ensemble.core.Down;

/**
 * INTERNAL API: the cell's way into the parts of an {@link Actor} that applications do not call:
 * binding an instance to its cell, its initial state, and its lifecycle hooks. {@code Actor}
 * lives in another package and keeps these package-private or protected; it installs the one
 * implementation when its class is initialised.
 *
 * <p>Threading: the installed instance is stateless; the hooks are called in the actor's turn.
 */
public abstract class ActorAccess {
    private static volatile ActorAccess installed;

    /** For {@code Actor}'s own implementation. */
    protected ActorAccess() {}

    /**
     * Called once, by {@code Actor}'s static initialiser.
     *
     * @param access the implementation
     * @throws IllegalStateException if one is installed already
     */
    public static synchronized void install(ActorAccess access) {
        if (installed != null) {
            throw new IllegalStateException("ActorAccess is installed by dev.ensemble.core.Actor only, once");
        }
        installed = access;
    }

    /** @return the implementation, initialising {@code Actor} first if no actor exists yet */
    static ActorAccess get() {
        ActorAccess access = installed;
        if (access == null) {
            try {
                Class.forName(Actor.class.getName(), true, Actor.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("dev.ensemble.core.Actor cannot be loaded", e);
            }
            access = installed;
        }
        return access;
    }

    /**
     * @param actor a fresh instance from the actor's factory
     * @param cell the cell it runs in from now on
     * @param <S> its state type
     * @throws IllegalStateException if the instance already runs in a cell
     */
    protected abstract <S> void bind(Actor<S> actor, TurnContext<S> cell);

    /**
     * @param actor an instance
     * @param <S> its state type
     * @return the state it was constructed with
     */
    protected abstract <S> S initialState(Actor<S> actor);

    /**
     * @param actor the instance starting
     * @throws Exception what its {@code onStart()} threw
     */
    protected abstract void onStart(Actor<?> actor) throws Exception;

    /**
     * @param actor the instance ending
     * @throws Exception what its {@code onStop()} threw
     */
    protected abstract void onStop(Actor<?> actor) throws Exception;

    /**
     * @param actor the fresh instance
     * @param cause the failure that replaced the previous one
     * @throws Exception what its {@code onRestart()} threw
     */
    protected abstract void onRestart(Actor<?> actor, Throwable cause) throws Exception;

    /**
     * @param actor the watching instance
     * @param down which watched actor stopped, and why
     * @throws Exception what its {@code onDown()} threw
     */
    protected abstract void onDown(Actor<?> actor, Down down) throws Exception;
}
