package dev.ensemble.collab.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * How a simulated link treats the messages sent over it, in one direction.
 *
 * <ul>
 *   <li><b>Latency</b>: each message (and each duplicate) takes a latency drawn uniformly from
 *       {@code [minLatency, maxLatency]}. A spread lets later messages overtake earlier ones: this
 *       is how reordering is configured. With {@code minLatency == maxLatency} a link is FIFO.
 *   <li><b>Loss</b>: each message is lost with probability {@code lossRate}.
 *   <li><b>Duplication</b>: each message that is not lost is delivered a second time, with its
 *       own latency, with probability {@code duplicationRate}.
 *   <li><b>Bandwidth</b>: if {@code bandwidthBytesPerSecond > 0}, messages leave one after the
 *       other at that rate before their latency starts, and wait in a send queue meanwhile;
 *       {@code 0} means unlimited.
 * </ul>
 *
 * <pre>{@code
 * LinkConditions lossy = LinkConditions.builder()
 *     .latency(Duration.ofMillis(20), Duration.ofMillis(80))
 *     .lossRate(0.05)
 *     .duplicationRate(0.01)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param minLatency the shortest one-way latency, not negative
 * @param maxLatency the longest one-way latency, at least {@code minLatency}
 * @param lossRate the probability that a message is lost, 0 to 1
 * @param duplicationRate the probability that a message is delivered twice, 0 to 1
 * @param bandwidthBytesPerSecond the link's rate, or 0 for unlimited
 */
public record LinkConditions(
        Duration minLatency,
        Duration maxLatency,
        double lossRate,
        double duplicationRate,
        long bandwidthBytesPerSecond) {

    /** No latency, no loss, no duplication, unlimited bandwidth. */
    public static final LinkConditions PERFECT = builder().build();

    /**
     * Validates the conditions.
     *
     * @throws IllegalArgumentException if a value is out of its range (see the parameters)
     */
    public LinkConditions {
        Objects.requireNonNull(minLatency, "minLatency");
        Objects.requireNonNull(maxLatency, "maxLatency");
        if (minLatency.isNegative()) {
            throw new IllegalArgumentException("minLatency must be >= 0, was " + minLatency);
        }
        if (maxLatency.compareTo(minLatency) < 0) {
            throw new IllegalArgumentException(
                    "maxLatency must be >= minLatency (" + minLatency + "), was " + maxLatency);
        }
        probability("lossRate", lossRate);
        probability("duplicationRate", duplicationRate);
        if (bandwidthBytesPerSecond < 0) {
            throw new IllegalArgumentException(
                    "bandwidthBytesPerSecond must be >= 0 (0 = unlimited)," + " was " + bandwidthBytesPerSecond);
        }
    }

    /**
     * Returns a builder starting from {@link #PERFECT}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding these conditions, to derive a changed copy.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder()
                .latency(minLatency, maxLatency)
                .lossRate(lossRate)
                .duplicationRate(duplicationRate)
                .bandwidthBytesPerSecond(bandwidthBytesPerSecond);
    }

    private static void probability(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
        }
    }

    /** Builds {@link LinkConditions}. Not thread-safe. */
    public static final class Builder {
        private Duration minLatency = Duration.ZERO;
        private Duration maxLatency = Duration.ZERO;
        private double lossRate;
        private double duplicationRate;
        private long bandwidthBytesPerSecond;

        private Builder() {}

        /**
         * Sets a fixed latency (no reordering).
         *
         * @param latency the one-way latency
         * @return this builder
         */
        public Builder latency(Duration latency) {
            return latency(latency, latency);
        }

        /**
         * Sets a latency range; a spread reorders messages.
         *
         * @param min the shortest latency
         * @param max the longest latency
         * @return this builder
         */
        public Builder latency(Duration min, Duration max) {
            this.minLatency = min;
            this.maxLatency = max;
            return this;
        }

        /**
         * Sets the loss probability.
         *
         * @param rate 0 to 1
         * @return this builder
         */
        public Builder lossRate(double rate) {
            this.lossRate = rate;
            return this;
        }

        /**
         * Sets the duplication probability.
         *
         * @param rate 0 to 1
         * @return this builder
         */
        public Builder duplicationRate(double rate) {
            this.duplicationRate = rate;
            return this;
        }

        /**
         * Sets the bandwidth.
         *
         * @param bytesPerSecond the rate, or 0 for unlimited
         * @return this builder
         */
        public Builder bandwidthBytesPerSecond(long bytesPerSecond) {
            this.bandwidthBytesPerSecond = bytesPerSecond;
            return this;
        }

        /**
         * Returns the conditions.
         *
         * @return the validated conditions
         * @throws IllegalArgumentException if a value is out of range
         */
        public LinkConditions build() {
            return new LinkConditions(minLatency, maxLatency, lossRate, duplicationRate, bandwidthBytesPerSecond);
        }
    }
}
