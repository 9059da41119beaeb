package dev.ensemble.core;

import java.util.Objects;

/**
 * Something an actor announced with {@code emit(name, payload)}, as its listeners receive it.
 *
 * <p>Events are emitted when the turn that emitted them completes; a turn that fails emits
 * nothing. One actor's events reach each listener in the order they were emitted.
 *
 * <p>The framework emits one event of its own: {@value #ACTION_FAILED}, whose payload is an
 * {@link ActionFailed}, when a tell (an action with no reply) throws.
 *
 * @param actor the name of the actor that emitted it
 * @param name what happened, in the past tense by convention ({@code "note-played"})
 * @param payload the event's data; may be {@code null}
 */
public record ActorEvent(String actor, String name, Object payload) {
    /** The name of the event emitted when a tell throws; its payload is an {@link ActionFailed}. */
    public static final String ACTION_FAILED = "action-failed";

    /**
     * Validates the fields.
     *
     * @param actor the emitting actor's name
     * @param name the event name
     * @param payload the data, or null
     */
    public ActorEvent {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(name, "name");
    }
}
