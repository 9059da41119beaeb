package dev.ensemble.core.supervision;

import java.time.Duration;
import java.util.Objects;

/**
 * What happens when an actor fails: restart it with fresh state, within a limit, or stop it.
 *
 * <h2>What counts as a failure</h2>
 * An action that throws an {@link Exception} is <em>not</em> a failure of the actor: that message
 * fails alone and the next one runs. An actor fails when its start hook throws after the system
 * is up, when a turn throws an {@link Error}, or when it calls {@code crash(cause)} because its
 * state can no longer be trusted.
 *
 * <h2>Restart</h2>
 * The failed instance's {@code onStop()} runs, its timers and reactions are cancelled, and a new
 * instance is made by the actor's factory: its state is the factory's initial state. Messages
 * waiting in the mailbox stay there and are handled by the new instance; clients keep working.
 *
 * <h2>Intensity (as in OTP)</h2>
 * At most {@code maxRestarts} restarts within {@code within}; one failure more and the actor
 * stops, and its watchers receive a {@link dev.ensemble.core.Down} with the cause. The default is
 * OTP's: 1 restart in 5 seconds.
 *
 * <h2>Backoff</h2>
 * With {@link #withBackoff(Duration, Duration, double)} a restart waits before the fresh instance
 * starts. The n-th consecutive restart (n &ge; 1) waits {@code min * 2^(n-1)}, capped at
 * {@code max}, then shortened by a random fraction of up to {@code jitter} of that delay:
 * {@code delay * (1 - jitter * r)} with {@code r} uniform in [0, 1). The jitter keeps actors
 * that failed together (say, when a shared resource went away) from restarting in lock-step and
 * failing together again; it shortens rather than lengthens, so that a delay never exceeds
 * {@code max}. A {@code min} of zero means no delay.
 *
 * <p>For example min 100 ms, max 2 s, jitter 0.2: the restarts wait 100, 200, 400, 800, 1600,
 * 2000, 2000 ms ..., each up to 20 % shorter (the first between 80 and 100 ms, the sixth between
 * 1.6 and 2 s). Messages wait in the mailbox meanwhile, and clients keep working: their calls
 * are handled by the fresh instance. The count of consecutive restarts starts again from 1 once
 * the actor has run for {@code within} without failing. This is the same rule, with the same
 * three settings, as the transports' reconnection backoff.
 *
 * <pre>{@code
 * SupervisorStrategy.restart().withLimit(3, Duration.ofSeconds(10))
 *     .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), 0.2)
 * }</pre>
 *
 * <p>Thread-safe: immutable; {@code with} methods return copies.
 *
 * @param restartOnFailure true to restart on failure, false to stop at the first failure
 * @param maxRestarts the most restarts within {@code within}
 * @param within the window that {@code maxRestarts} counts in
 * @param minBackoff the delay before the first restart; zero for none
 * @param maxBackoff the largest delay
 * @param jitter the largest fraction (0 to 1) by which a delay is shortened at random
 */
public record SupervisorStrategy(
        boolean restartOnFailure,
        int maxRestarts,
        Duration within,
        Duration minBackoff,
        Duration maxBackoff,
        double jitter) {

    /** OTP's default intensity: restarts allowed per window. */
    public static final int DEFAULT_MAX_RESTARTS = 1;
    /** OTP's default period. */
    public static final Duration DEFAULT_WITHIN = Duration.ofSeconds(5);

    private static final SupervisorStrategy RESTART =
            new SupervisorStrategy(true, DEFAULT_MAX_RESTARTS, DEFAULT_WITHIN, Duration.ZERO, Duration.ZERO, 0);
    private static final SupervisorStrategy STOP =
            new SupervisorStrategy(false, 0, DEFAULT_WITHIN, Duration.ZERO, Duration.ZERO, 0);

    /**
     * Validates the fields.
     *
     * @param restartOnFailure whether to restart
     * @param maxRestarts at least 0
     * @param within positive
     * @param minBackoff zero or positive
     * @param maxBackoff at least {@code minBackoff}
     * @param jitter between 0 and 1
     */
    public SupervisorStrategy {
        Objects.requireNonNull(within, "within");
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must be >= 0, but was " + maxRestarts);
        }
        if (within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException("within must be positive, but was " + within);
        }
        if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException(
                    "backoff must satisfy 0 <= min <= max, but was min " + minBackoff + ", max " + maxBackoff);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, but was " + jitter);
        }
    }

    /** @return restart with fresh state, at most 1 restart in 5 seconds, no backoff (the default) */
    public static SupervisorStrategy restart() {
        return RESTART;
    }

    /** @return stop at the first failure */
    public static SupervisorStrategy stop() {
        return STOP;
    }

    /**
     * @param maxRestarts the most restarts allowed within the window, at least 0
     * @param within the window
     * @return a copy with this intensity
     */
    public SupervisorStrategy withLimit(int maxRestarts, Duration within) {
        return new SupervisorStrategy(restartOnFailure, maxRestarts, within, minBackoff, maxBackoff, jitter);
    }

    /**
     * Exponential backoff between restarts, as described in the class comment.
     *
     * @param min the delay before the first restart, zero for none
     * @param max the cap on the delay, at least {@code min}
     * @param jitter the largest fraction (0 to 1) by which each delay is shortened at random
     * @return a copy with this backoff
     */
    public SupervisorStrategy withBackoff(Duration min, Duration max, double jitter) {
        return new SupervisorStrategy(restartOnFailure, maxRestarts, within, min, max, jitter);
    }
}
