package dev.ensemble.core;

/**
 * The payload of an {@link ActorEvent#ACTION_FAILED} event: a tell that threw. The message
 * failed alone; the actor's state is as it was before that message, and the next message runs.
 *
 * @param action the action's method name
 * @param cause what it threw
 */
public record ActionFailed(String action, Throwable cause) {}
