package dev.ensemble.core;

import java.util.Optional;

/**
 * The signal watchers receive when an actor stops for good.
 *
 * @param actor the stopped actor's name
 * @param cause why it stopped: the failure that exhausted its restarts, or {@code null} when it
 *     was stopped normally (its system shut down)
 */
public record Down(String actor, Throwable cause) {
    /** @return true if the actor stopped because it failed */
    public boolean failed() {
        return cause != null;
    }

    /** @return the failure, if it failed */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(cause);
    }
}
