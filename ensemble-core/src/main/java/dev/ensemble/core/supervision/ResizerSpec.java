package dev.ensemble.core.supervision;

import java.time.Duration;
import java.util.Objects;

/**
 * How a pool resizes itself from measured pressure. Every {@code period} the pool samples the
 * messages waiting in its replicas' mailboxes and the time its replicas spent in turns; its
 * samples decide at most once per {@code cooldown}, growing fast and shrinking slowly:
 *
 * <ul>
 *   <li><b>Grow</b> (to {@code max(2 * size, queued)}, up to {@code upper}) when the queue did not shrink over the last
 *       {@code window} and at least one message per replica waits now: the replicas do not keep up.
 *   <li><b>Shrink</b> (down to {@code lower}) when no message waited in any sample of the last
 *       {@code shrinkAfter} and the replicas were busy less than {@code busyBelow} of it: to
 *       {@code ceil(size * busy / busyBelow)} replicas, so an idle pool goes straight to
 *       {@code lower}. A replica being removed first leaves the routing, then handles what it
 *       holds, then stops: no message is lost or handled twice.
 * </ul>
 *
 * The samples run on a timer, so an idle pool shrinks even when no message arrives. Between
 * samples, the pool also reacts to arrivals: a message routed to a replica that then holds more than
 * {@code arrivalThreshold} waiting messages makes the pool decide at once, and it grows as above if
 * more than {@code arrivalThreshold} messages per replica wait in the whole pool. A burst then meets
 * its replicas after a few messages, not after a window. The cool-down does not hold this rule: it
 * only grows, at least doubling each time, and only on more than {@code arrivalThreshold} times
 * what the last step gave each replica, so a tick that grew the pool on one waiting message does not
 * leave the burst behind it with two replicas for a cool-down. Every resize is
 * an event ({@link PoolResized}) with its reason and the measurements behind it.
 *
 * <pre>{@code
 * ResizerSpec.between(1, 16)
 *     .withTiming(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1))
 * }</pre>
 *
 * <p>Thread-safe: immutable.
 *
 * @param lower the fewest replicas, at least 1
 * @param upper the most replicas, at least {@code lower}
 * @param period how often the pool samples, positive
 * @param window how far back a decision to grow looks, at least {@code period}
 * @param cooldown the least time between a resize and the next one its samples decide (growth on
 *     arrival is not held), zero or positive
 * @param busyBelow the busy fraction (0 to 1] under which an idle pool shrinks
 * @param shrinkAfter how long the pool must have been idle before it shrinks, at least
 *     {@code period}: longer than the window, so that a pool keeps its replicas through the short
 *     pauses between bursts
 * @param arrivalThreshold the messages waiting per replica above which an arriving message makes the
 *     pool grow without waiting for a sample; 0 to grow on samples only
 */
public record ResizerSpec(
        int lower,
        int upper,
        Duration period,
        Duration window,
        Duration cooldown,
        double busyBelow,
        Duration shrinkAfter,
        int arrivalThreshold) {
    /** Sampling period by default. */
    public static final Duration DEFAULT_PERIOD = Duration.ofMillis(100);
    /** Decision window by default. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMillis(300);
    /** Cool-down by default. */
    public static final Duration DEFAULT_COOLDOWN = Duration.ofMillis(500);
    /** Busy fraction under which an idle pool shrinks, by default. */
    public static final double DEFAULT_BUSY_BELOW = 0.3;
    /** How long a pool must be idle before it shrinks, by default. */
    public static final Duration DEFAULT_SHRINK_AFTER = Duration.ofSeconds(1);
    /**
     * Messages waiting per replica above which an arrival makes the pool grow, by default: a replica
     * that blocks 2 ms per message then makes a message wait 16 ms before the pool reacts, while a
     * short run of fast messages does not make it grow.
     */
    public static final int DEFAULT_ARRIVAL_THRESHOLD = 8;

    /**
     * Validates the bounds and timing.
     *
     * @param lower at least 1
     * @param upper at least lower
     * @param period positive
     * @param window at least period
     * @param cooldown zero or positive
     * @param busyBelow in (0, 1]
     * @param shrinkAfter at least period
     * @param arrivalThreshold zero or positive
     */
    public ResizerSpec {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(shrinkAfter, "shrinkAfter");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(cooldown, "cooldown");
        if (lower < 1 || upper < lower) {
            throw new IllegalArgumentException(
                    "pool bounds must satisfy 1 <= lower <= upper, but were lower " + lower + ", upper " + upper);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("resizer period must be positive, but was " + period);
        }
        if (window.compareTo(period) < 0) {
            throw new IllegalArgumentException(
                    "resizer window must be at least its period (" + period + "), but was " + window);
        }
        if (shrinkAfter.compareTo(period) < 0) {
            throw new IllegalArgumentException(
                    "resizer shrinkAfter must be at least its period (" + period + "), but was " + shrinkAfter);
        }
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("resizer cooldown must be zero or positive, but was " + cooldown);
        }
        if (!(busyBelow > 0 && busyBelow <= 1)) {
            throw new IllegalArgumentException("busyBelow must be in (0, 1], but was " + busyBelow);
        }
        if (arrivalThreshold < 0) {
            throw new IllegalArgumentException(
                    "resizer arrivalThreshold must be zero or positive, but was " + arrivalThreshold);
        }
    }

    /**
     * @param lower the fewest replicas
     * @param upper the most replicas
     * @return a resizer with these bounds and the default timing
     */
    public static ResizerSpec between(int lower, int upper) {
        return new ResizerSpec(
                lower,
                upper,
                DEFAULT_PERIOD,
                DEFAULT_WINDOW,
                DEFAULT_COOLDOWN,
                DEFAULT_BUSY_BELOW,
                DEFAULT_SHRINK_AFTER,
                DEFAULT_ARRIVAL_THRESHOLD);
    }

    /**
     * @param period how often to sample
     * @param window how far back to look
     * @param cooldown the least time between resizes
     * @return a copy
     */
    public ResizerSpec withTiming(Duration period, Duration window, Duration cooldown) {
        return new ResizerSpec(lower, upper, period, window, cooldown, busyBelow, shrinkAfter, arrivalThreshold);
    }

    /**
     * @param idle how long nothing may wait before the pool shrinks, at least the period
     * @return a copy
     */
    public ResizerSpec withShrinkAfter(Duration idle) {
        return new ResizerSpec(lower, upper, period, window, cooldown, busyBelow, idle, arrivalThreshold);
    }

    /**
     * @param fraction the busy fraction under which an idle pool shrinks
     * @return a copy
     */
    public ResizerSpec withBusyBelow(double fraction) {
        return new ResizerSpec(lower, upper, period, window, cooldown, fraction, shrinkAfter, arrivalThreshold);
    }

    /**
     * @param waitingPerReplica the messages waiting per replica above which an arriving message
     *     makes the pool grow at once; 0 to grow on samples only
     * @return a copy
     */
    public ResizerSpec withArrivalThreshold(int waitingPerReplica) {
        return new ResizerSpec(lower, upper, period, window, cooldown, busyBelow, shrinkAfter, waitingPerReplica);
    }
}
