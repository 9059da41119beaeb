package dev.ensemble.core;

/**
 * A call reached an actor that has stopped, or was still waiting in its mailbox when it stopped.
 */
public final class ActorStoppedException extends IllegalStateException {
    private final String actor;

    /**
     * @param actor the stopped actor's name
     * @param message what was refused
     */
    public ActorStoppedException(String actor, String message) {
        super(message);
        this.actor = actor;
    }

    /** @return the stopped actor's name */
    public String actor() {
        return actor;
    }
}
