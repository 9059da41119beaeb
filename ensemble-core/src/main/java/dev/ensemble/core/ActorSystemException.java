package dev.ensemble.core;

/**
 * An {@link ActorSystem} could not be built or started: a duplicate, missing or cyclic
 * dependency, an invalid configuration, or an actor whose start hook failed. The message names
 * the actors involved.
 */
public final class ActorSystemException extends RuntimeException {
    /**
     * @param message what is wrong, naming the actors
     */
    public ActorSystemException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the actors
     * @param cause the underlying failure
     */
    public ActorSystemException(String message, Throwable cause) {
        super(message, cause);
    }
}
