package dev.ensemble.remote;

/**
 * The phi-accrual failure detector (Hayashibara et al., "The φ Accrual Failure Detector", 2004) for
 * one node: instead of a yes/no after a fixed timeout it gives a suspicion level φ that grows with
 * the silence since the last heartbeat, scaled by how regular the heartbeats have been. φ = 1 means
 * about a 10 % chance that a heartbeat this late is still normal, φ = 2 about 1 %, φ = 10 about
 * 10<sup>-10</sup>: the node is declared down when φ passes the threshold.
 *
 * <h2>How φ is computed</h2>
 *
 * The intervals between the last {@code maxSamples} heartbeats are kept with their sum and sum of
 * squares. The silence {@code t} is compared with a normal distribution of mean {@code m} = (mean
 * interval + acceptable pause) and deviation {@code s} = max(deviation of the intervals, minimum
 * deviation); φ = -log10(P(an interval ≥ t)), using the logistic approximation of the normal
 * distribution's tail, 1 / (1 + e<sup>y(1.5976 + 0.070566 y²)</sup>) with y = (t - m) / s. The
 * acceptable pause lets a node stay silent that long (a GC pause, a burst of traffic ahead of the
 * heartbeat) before suspicion rises; the minimum deviation keeps a very regular history from
 * turning one late heartbeat into a verdict.
 *
 * <h2>Worked numbers</h2>
 *
 * Heartbeats every 1 s, acceptable pause 10 s, minimum deviation 100 ms, threshold 10: m = 11 s, s =
 * 0.1 s; φ stays near 0 up to 11 s of silence, is about 0.8 at 11.1 s and passes 10 at about 11.6 s. With
 * jittery heartbeats (deviation 500 ms) φ passes 10 only at about 14 s. A node killed with SIGKILL
 * is therefore declared down about 12 s after its last heartbeat with the defaults, and within
 * {@code heartbeatInterval + acceptablePause + a few deviations} in general.
 *
 * <p>Before the first heartbeat the history holds two intervals around {@code firstEstimate} (± a
 * quarter), as if heartbeats had come on time.
 *
 * <p>Thread-safe: heartbeats come from the transport's thread, the checks from the scheduler.
 */
final class PhiAccrualDetector {
    private final double threshold;
    private final long[] intervals;
    private final long acceptablePauseNanos;
    private final double minDeviationNanos;
    private final long firstEstimateNanos;

    // Guarded by this.
    private int count;
    private int next;
    private double sum;
    private double sumOfSquares;
    private long lastNanos;
    private boolean started;

    PhiAccrualDetector(
            double threshold,
            int maxSamples,
            long acceptablePauseNanos,
            long minDeviationNanos,
            long firstEstimateNanos) {
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("phi threshold must be > 0, was " + threshold);
        }
        if (maxSamples < 2) {
            throw new IllegalArgumentException("maxSamples must be >= 2, was " + maxSamples);
        }
        this.threshold = threshold;
        this.intervals = new long[maxSamples];
        this.acceptablePauseNanos = acceptablePauseNanos;
        this.minDeviationNanos = Math.max(1, minDeviationNanos);
        this.firstEstimateNanos = Math.max(1, firstEstimateNanos);
    }

    double threshold() {
        return threshold;
    }

    /** A heartbeat arrived at {@code nowNanos} ({@link System#nanoTime()} or a test clock). */
    synchronized void heartbeat(long nowNanos) {
        if (!started) {
            long quarter = firstEstimateNanos / 4;
            add(firstEstimateNanos - quarter);
            add(firstEstimateNanos + quarter);
            started = true;
        } else {
            add(Math.max(0, nowNanos - lastNanos));
        }
        lastNanos = nowNanos;
    }

    /** Forgets the history: the node came back, and the gap before it says nothing of its rhythm. */
    synchronized void reset() {
        count = 0;
        next = 0;
        sum = 0;
        sumOfSquares = 0;
        started = false;
    }

    /** @return the suspicion level at {@code nowNanos}; 0 before the first heartbeat */
    synchronized double phi(long nowNanos) {
        if (!started) {
            return 0;
        }
        double elapsed = nowNanos - lastNanos;
        double meanInterval = sum / count;
        double variance = Math.max(0, sumOfSquares / count - meanInterval * meanInterval);
        double deviation = Math.max(Math.sqrt(variance), minDeviationNanos);
        double mean = meanInterval + acceptablePauseNanos;
        double y = (elapsed - mean) / deviation;
        double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
        // The two branches are the same function, each written so that it does not lose its
        // precision where it is used.
        return elapsed > mean ? -Math.log10(e / (1.0 + e)) : -Math.log10(1.0 - 1.0 / (1.0 + e));
    }

    /** @return whether the node is suspected less than the threshold at {@code nowNanos} */
    boolean isAvailable(long nowNanos) {
        return phi(nowNanos) < threshold;
    }

    /** @return nanoseconds since the last heartbeat, or 0 before the first */
    synchronized long silenceNanos(long nowNanos) {
        return started ? nowNanos - lastNanos : 0;
    }

    private void add(long interval) {
        if (count == intervals.length) {
            long dropped = intervals[next];
            sum -= dropped;
            sumOfSquares -= (double) dropped * dropped;
        } else {
            count++;
        }
        intervals[next] = interval;
        next = (next + 1) % intervals.length;
        sum += interval;
        sumOfSquares += (double) interval * interval;
    }
}
