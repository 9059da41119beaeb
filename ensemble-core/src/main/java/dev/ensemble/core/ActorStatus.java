package dev.ensemble.core;

/** Where an actor is in its life. */
public enum ActorStatus {
    /** Registered; its start hook has not completed yet. */
    STARTING,
    /** Handling messages. */
    RUNNING,
    /** Failed; a fresh instance will start (after the backoff, if any). Messages wait. */
    RESTARTING,
    /** Stopped for good. Calls fail with {@link ActorStoppedException}. */
    STOPPED
}
