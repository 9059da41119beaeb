package dev.ensemble.core;

/**
 * A snapshot of one actor, for inspectors and health checks.
 *
 * @param name the actor's name
 * @param status where it is in its life
 * @param mailboxDepth how many messages were waiting
 * @param dispatcher the name of its dispatcher
 */
public record ActorInfo(String name, ActorStatus status, int mailboxDepth, String dispatcher) {}
