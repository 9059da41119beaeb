package dev.ensemble.collab.wire;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds a {@link Reassembler} enforces on the chunk streams of one peer, so that a slow,
 * broken or hostile peer can hold at most {@code maxPartialMessages × maxMessageSize} bytes of
 * memory and only for {@code timeout} after its last progress.
 *
 * <pre>{@code
 * ReassemblyLimits limits = ReassemblyLimits.builder()
 *     .maxMessageSize(64 * 1024 * 1024)
 *     .timeout(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxMessageSize the largest reassembled envelope, in bytes
 * @param maxPartialMessages how many incomplete chunk streams a peer may have at once
 * @param maxChunksPerMessage the most chunks one stream may declare
 * @param timeout how long an incomplete stream may go without a new chunk before it is dropped
 */
public record ReassemblyLimits(int maxMessageSize, int maxPartialMessages, int maxChunksPerMessage, Duration timeout) {

    /** Default {@link #maxMessageSize()}: 64 MiB, room for a 28 MB naive first sync. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;
    /** Default {@link #maxPartialMessages()}: 4 streams per peer. */
    public static final int DEFAULT_MAX_PARTIAL_MESSAGES = 4;
    /** Default {@link #maxChunksPerMessage()}: 8192, i.e. 64 MiB in 8 KiB chunks. */
    public static final int DEFAULT_MAX_CHUNKS_PER_MESSAGE = 8192;
    /** Default {@link #timeout()}: 30 seconds without progress. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The default limits. */
    public static final ReassemblyLimits DEFAULTS = builder().build();

    /**
     * Validates the limits.
     *
     * @throws IllegalArgumentException if a count or size is below 1 or the timeout is not
     *     positive
     */
    public ReassemblyLimits {
        positive("maxMessageSize", maxMessageSize);
        positive("maxPartialMessages", maxPartialMessages);
        positive("maxChunksPerMessage", maxChunksPerMessage);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
        }
    }

    /**
     * Returns a builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding these limits, to derive a changed copy.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder()
                .maxMessageSize(maxMessageSize)
                .maxPartialMessages(maxPartialMessages)
                .maxChunksPerMessage(maxChunksPerMessage)
                .timeout(timeout);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + value);
        }
    }

    /** Builds {@link ReassemblyLimits}; starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxPartialMessages = DEFAULT_MAX_PARTIAL_MESSAGES;
        private int maxChunksPerMessage = DEFAULT_MAX_CHUNKS_PER_MESSAGE;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder() {}

        /**
         * Sets the largest reassembled envelope.
         *
         * @param bytes the limit in bytes, at least 1
         * @return this builder
         */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * Sets how many incomplete streams a peer may have at once.
         *
         * @param count the limit, at least 1
         * @return this builder
         */
        public Builder maxPartialMessages(int count) {
            this.maxPartialMessages = count;
            return this;
        }

        /**
         * Sets the most chunks one stream may declare.
         *
         * @param count the limit, at least 1
         * @return this builder
         */
        public Builder maxChunksPerMessage(int count) {
            this.maxChunksPerMessage = count;
            return this;
        }

        /**
         * Sets how long an incomplete stream may go without a new chunk.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * Returns the limits.
         *
         * @return the validated limits
         * @throws IllegalArgumentException if a value is out of range
         */
        public ReassemblyLimits build() {
            return new ReassemblyLimits(maxMessageSize, maxPartialMessages, maxChunksPerMessage, timeout);
        }
    }
}
