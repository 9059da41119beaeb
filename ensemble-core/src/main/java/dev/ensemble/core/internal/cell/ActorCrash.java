package dev.ensemble.core.internal.cell;

/**
 * Thrown by {@link dev.ensemble.core.Actor#crash(Throwable)} to end the turn. An {@link Error}, so that the
 * actor's own {@code catch (Exception e)} blocks do not swallow it.
 */
final class ActorCrash extends Error {
    ActorCrash(Throwable cause) {
        super("actor crashed: " + cause, cause);
    }
}
