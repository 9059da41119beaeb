package dev.ensemble.core.internal.cell;

import dev.ensemble.core.supervision.SupervisorStrategy;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * INTERNAL API: the restart decisions of one actor under its {@link SupervisorStrategy}: whether a failure
 * restarts the actor or stops it (the intensity window), and how long the restart waits (the
 * backoff). It decides only; the cell carries the decision out.
 *
 * <p>Made by the cell at the actor's first failure, so that an actor that never fails carries
 * none of this. The clock and the random source are parameters so that tests can pin them.
 *
 * <p>Threading: confined to its owner: an actor's turns, or a tree supervisor's serial order.
 */
public final class Supervisor {
    /** What a failure leads to. */
    public sealed interface Decision permits Restart, Stop {}

    /** Restart with a fresh instance after {@code delayNanos} (0: at once). */
    public record Restart(long delayNanos) implements Decision {}

    /** Stop for good; {@code why} says which rule decided it. */
    public record Stop(String why) implements Decision {}

    private final SupervisorStrategy strategy;
    /** {@link System#nanoTime()} in production. */
    private final LongSupplier clock;
    /** Uniform in [0, 1); draws the jitter of each backoff. */
    private final DoubleSupplier random;
    /** When the restarts inside the current intensity window happened, oldest first. */
    private final ArrayDeque<Long> recentRestarts = new ArrayDeque<>();
    /** Restarts since the actor last ran for a whole window without failing. */
    private int consecutiveRestarts;
    /** When the latest restart completed; meaningful once {@link #restartedBefore} is set. */
    private long lastRestartNanos;

    private boolean restartedBefore;

    /** @return a supervisor on the system clock, drawing its jitter from {@link ThreadLocalRandom} */
    public static Supervisor of(SupervisorStrategy strategy) {
        return new Supervisor(
                strategy, System::nanoTime, () -> ThreadLocalRandom.current().nextDouble());
    }

    Supervisor(SupervisorStrategy strategy, LongSupplier clock, DoubleSupplier random) {
        this.strategy = strategy;
        this.clock = clock;
        this.random = random;
    }

    /** Decides what a failure happening now leads to, and counts it if it restarts. */
    public Decision onFailure() {
        if (!strategy.restartOnFailure()) {
            return new Stop("its supervision strategy is stop");
        }
        long now = clock.getAsLong();
        if (restartsExhausted(now)) {
            return new Stop("more than " + strategy.maxRestarts() + " restarts within " + strategy.within());
        }
        if (restartedBefore && now - lastRestartNanos > strategy.within().toNanos()) {
            consecutiveRestarts = 0;
        }
        consecutiveRestarts++;
        return new Restart(backoffNanos(strategy, consecutiveRestarts, random.getAsDouble()));
    }

    /**
     * The backoff rule, the one place it is computed: the n-th consecutive restart waits
     * {@code min * 2^(n-1)}, capped at {@code max}, shortened by {@code jitter * r} of itself.
     *
     * @param strategy gives min, max and jitter
     * @param consecutive n, 1 for the first restart in a row
     * @param r uniform in [0, 1)
     * @return the delay in nanoseconds; never more than {@code max}
     */
    static long backoffNanos(SupervisorStrategy strategy, int consecutive, double r) {
        long min = strategy.minBackoff().toNanos();
        if (min == 0) {
            return 0;
        }
        long max = strategy.maxBackoff().toNanos();
        int doublings = Math.min(Math.max(consecutive - 1, 0), Long.SIZE - 2);
        long grown = min > (max >> doublings) ? max : min << doublings;
        return (long) (grown * (1 - strategy.jitter() * r));
    }

    /** The restart decided by {@link #onFailure()} has completed: the actor runs again from now. */
    public void restarted() {
        lastRestartNanos = clock.getAsLong();
        restartedBefore = true;
    }

    /** OTP's intensity: true if {@code maxRestarts} restarts already happened within the window. */
    private boolean restartsExhausted(long now) {
        long windowStart = now - strategy.within().toNanos();
        while (!recentRestarts.isEmpty() && recentRestarts.peekFirst() - windowStart < 0) {
            recentRestarts.pollFirst();
        }
        if (recentRestarts.size() >= strategy.maxRestarts()) {
            return true;
        }
        recentRestarts.addLast(now);
        return false;
    }
}
