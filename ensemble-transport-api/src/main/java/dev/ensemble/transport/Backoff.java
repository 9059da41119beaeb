package dev.ensemble.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before retrying something that failed: reconnecting to the signaling server,
 * re-dialing a WebRTC peer. One rule and one shape for every transport (ensemble-core's restart
 * backoff follows the same rule, without depending on this module).
 *
 * <h2>The rule</h2>
 *
 * The n-th consecutive retry (n &gt;= 1) waits {@code min * 2^(n-1)}, capped at {@code max}, then
 * shortened by a random fraction of up to {@code jitter}: {@code delay * (1 - jitter * r)} with
 * {@code r} uniform in [0, 1). A {@code min} of zero means no delay at all. The jitter spreads the
 * retries of many clients that failed together (a server restart) so that they do not come back
 * in one burst; it only ever shortens a delay, so {@code max} stays a true upper bound.
 *
 * <p>Worked numbers for {@code Backoff.of(250 ms, 30 s, 0.5)}: before jitter, retries 1 to 9 wait
 * 0.25, 0.5, 1, 2, 4, 8, 16, 30 (32 capped), 30 s; with jitter each lies between half of that and
 * all of it, for example retry 3 with {@code r = 0.5} waits {@code 1 s * (1 - 0.5 * 0.5) = 0.75 s}.
 * Who counts the retries decides when the count starts again (a transport resets it once the
 * connection is back).
 *
 * <pre>{@code
 * Backoff backoff = Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(30), 0.5);
 * Duration wait = backoff.delay(failuresInARow);          // failuresInARow >= 1
 * Backoff pinned = backoff.withRandom(() -> 0.5);         // tests: a fixed r
 * }</pre>
 *
 * <p>Immutable and thread-safe (the default random source is {@link ThreadLocalRandom}); equal
 * when {@code min}, {@code max} and {@code jitter} are.
 */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private final double jitter;
    private final DoubleSupplier random;

    private Backoff(Duration min, Duration max, double jitter, DoubleSupplier random) {
        this.min = min;
        this.max = max;
        this.jitter = jitter;
        this.random = random;
    }

    /**
     * Creates a backoff.
     *
     * @param min the wait before the first retry; zero for none
     * @param max the longest wait, at least {@code min}
     * @param jitter the largest fraction by which a wait is randomly shortened, from 0 (none) to 1
     * @return the backoff
     * @throws IllegalArgumentException naming the rule and the value when {@code min} is negative,
     *     {@code max} is below {@code min} or beyond about 292 years, or {@code jitter} is outside
     *     0..1
     */
    public static Backoff of(Duration min, Duration max, double jitter) {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative()) {
            throw new IllegalArgumentException("backoff min must be zero (no delay) or positive but is " + min);
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff max must be at least min (" + min + ") but is " + max);
        }
        try {
            max.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "backoff max must fit in a long of nanoseconds (about 292 years) but is " + max, e);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException(
                    "backoff jitter must be a fraction from 0 (none) to 1 (down to no delay) but is " + jitter);
        }
        return new Backoff(min, max, jitter, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Returns this backoff with another random source, for tests that pin the jitter.
     *
     * @param random returns {@code r}, uniform in [0, 1)
     * @return a copy that draws {@code r} from {@code random}
     */
    public Backoff withRandom(DoubleSupplier random) {
        return new Backoff(min, max, jitter, Objects.requireNonNull(random, "random"));
    }

    /**
     * Returns the wait before the first retry.
     *
     * @return {@code min}
     */
    public Duration min() {
        return min;
    }

    /**
     * Returns the longest wait.
     *
     * @return {@code max}
     */
    public Duration max() {
        return max;
    }

    /**
     * Returns the largest fraction by which a wait is shortened.
     *
     * @return {@code jitter}, from 0 to 1
     */
    public double jitter() {
        return jitter;
    }

    /**
     * Returns the wait before the n-th consecutive retry (see the class comment).
     *
     * @param retry which retry in a row, from 1
     * @return the wait, from zero to {@link #max()}
     * @throws IllegalArgumentException if {@code retry} is below 1, or the random source returned a
     *     value outside [0, 1)
     */
    public Duration delay(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries are counted from 1 (the first retry) but retry is " + retry);
        }
        long maxNanos = max.toNanos();
        long nanos = min.toNanos();
        for (int n = 1; n < retry && nanos > 0 && nanos < maxNanos; n++) {
            nanos = nanos > maxNanos / 2 ? maxNanos : nanos * 2;
        }
        double r = random.getAsDouble();
        if (!(r >= 0 && r < 1)) {
            throw new IllegalArgumentException("a backoff's random source must return values in [0, 1) but returned "
                    + r + "; it is given to withRandom");
        }
        return Duration.ofNanos(nanos - (long) (nanos * jitter * r));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Backoff that
                && min.equals(that.min)
                && max.equals(that.max)
                && Double.compare(jitter, that.jitter) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(min, max, jitter);
    }

    @Override
    public String toString() {
        return "Backoff[" + min + " doubling to " + max + ", jitter " + jitter + "]";
    }
}
