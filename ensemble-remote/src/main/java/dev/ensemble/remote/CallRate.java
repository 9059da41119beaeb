package dev.ensemble.remote;

/**
 * A token bucket: how many calls one node may make here per second, with a burst. Starts full;
 * refills continuously at {@code perSecond}, up to {@code burst}.
 *
 * <p>Thread-safe: each method holds this object's monitor briefly (one bucket per calling node, so
 * only that node's frames contend for it).
 */
final class CallRate {
    /** A call costs this many units; the bucket gains {@code perSecond} units a nanosecond (exact, no rounding). */
    private static final long CALL = 1_000_000_000L;

    private final long perSecond;
    private final long capacity;
    private long units;
    private long lastNanos;

    /**
     * @param perSecond calls a second, at least 1
     * @param burst the most calls at once, at least 1
     * @param nowNanos {@link System#nanoTime()}, or a test's clock
     */
    CallRate(int perSecond, int burst, long nowNanos) {
        this.perSecond = perSecond;
        this.capacity = burst * CALL;
        this.units = capacity;
        this.lastNanos = nowNanos;
    }

    /** @return whether a call may go now (and takes its token) */
    boolean tryTake(long nowNanos) {
        return tryTake(nowNanos, 1);
    }

    /**
     * @param tokens how many tokens, at least 1
     * @return whether they are all there now (and takes them), or false (taking none)
     */
    synchronized boolean tryTake(long nowNanos, long tokens) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            // Compared before multiplying, so that a long silence cannot overflow.
            units = elapsed >= (capacity - units) / perSecond + 1
                    ? capacity
                    : Math.min(capacity, units + elapsed * perSecond);
            lastNanos = nowNanos;
        }
        if (units / CALL >= tokens) {
            units -= tokens * CALL;
            return true;
        }
        return false;
    }
}
