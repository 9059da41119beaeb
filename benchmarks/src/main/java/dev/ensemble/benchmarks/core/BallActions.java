package dev.ensemble.benchmarks.core;

import dev.ensemble.core.ActorClient;

/**
 * The ping-pong protocol of an Ensemble player: a ball bouncing between the two actors of a pair.
 *
 * <p>Thread-safe as every actions interface: calls become messages.
 */
public interface BallActions {
    /**
     * Receives the ball.
     *
     * @param from the player to hit it back to
     * @param remaining how many hits follow this one; 0 ends the rally
     */
    void hit(ActorClient<BallActions, ?> from, int remaining);
}
