package dev.ensemble.collab.peers;

import dev.ensemble.collab.wire.Chunker;
import dev.ensemble.collab.wire.ReassemblyLimits;
import dev.ensemble.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link PeerMessagingActor} reaches its peers: its transports in order of preference,
 * and its limits. Immutable; made with {@link #builder()}.
 *
 * <pre>{@code
 * PeerMessagingSettings.builder()
 *     .transport(webRtc)          // preferred while a peer's channel is up
 *     .transport(relay)           // the fallback
 *     .queueLimit(1_000)
 *     .build();
 * }</pre>
 *
 * @param transports in order of preference; at least one
 * @param queueLimit envelopes kept per peer while it has no transport; the oldest is dropped beyond
 * @param reassembly limits on chunked messages in reassembly
 * @param maxEnvelopeBytes the largest envelope accepted after reassembly
 * @param expiryCheck how often incomplete chunk streams are checked for expiry
 */
public record PeerMessagingSettings(
        List<Transport> transports,
        int queueLimit,
        ReassemblyLimits reassembly,
        int maxEnvelopeBytes,
        Duration expiryCheck) {
    /** Default {@link #queueLimit}. */
    public static final int DEFAULT_QUEUE_LIMIT = 1024;
    /** Default {@link #maxEnvelopeBytes}: 64 MiB, room for a large document's snapshot. */
    public static final int DEFAULT_MAX_ENVELOPE_BYTES = 64 * 1024 * 1024;
    /** Default {@link #expiryCheck}. */
    public static final Duration DEFAULT_EXPIRY_CHECK = Duration.ofSeconds(1);

    /**
     * Validates the settings.
     *
     * @param transports at least one, no duplicates by name, each taking messages of at least
     *     {@value Chunker#MIN_FRAME_SIZE} bytes
     * @param queueLimit at least 1
     * @param reassembly not null
     * @param maxEnvelopeBytes at least 1024
     * @param expiryCheck positive
     */
    public PeerMessagingSettings {
        transports = List.copyOf(transports);
        Objects.requireNonNull(reassembly, "reassembly");
        Objects.requireNonNull(expiryCheck, "expiryCheck");
        if (transports.isEmpty()) {
            throw new IllegalArgumentException("peer messaging needs at least one transport");
        }
        if (transports.stream().map(Transport::name).distinct().count() != transports.size()) {
            throw new IllegalArgumentException("transport names must be distinct, but were "
                    + transports.stream().map(Transport::name).toList());
        }
        for (Transport transport : transports) {
            if (transport.maxMessageSize() < Chunker.MIN_FRAME_SIZE) {
                throw new IllegalArgumentException("transport " + transport.name() + " takes messages of at most "
                        + transport.maxMessageSize() + " bytes; peer messaging needs at least "
                        + Chunker.MIN_FRAME_SIZE + " to chunk large envelopes");
            }
        }
        if (queueLimit < 1) {
            throw new IllegalArgumentException("queueLimit must be >= 1, but was " + queueLimit);
        }
        if (maxEnvelopeBytes < 1024) {
            throw new IllegalArgumentException("maxEnvelopeBytes must be >= 1024, but was " + maxEnvelopeBytes);
        }
        if (expiryCheck.isNegative() || expiryCheck.isZero()) {
            throw new IllegalArgumentException("expiryCheck must be positive, but was " + expiryCheck);
        }
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link PeerMessagingSettings}. Not thread-safe. */
    public static final class Builder {
        private final List<Transport> transports = new ArrayList<>();
        private int queueLimit = DEFAULT_QUEUE_LIMIT;
        private ReassemblyLimits reassembly = ReassemblyLimits.DEFAULTS;
        private int maxEnvelopeBytes = DEFAULT_MAX_ENVELOPE_BYTES;
        private Duration expiryCheck = DEFAULT_EXPIRY_CHECK;

        private Builder() {}

        /**
         * @param transport the next transport in order of preference
         * @return this builder
         */
        public Builder transport(Transport transport) {
            transports.add(Objects.requireNonNull(transport, "transport"));
            return this;
        }

        /**
         * @param envelopes per peer while it has no transport
         * @return this builder
         */
        public Builder queueLimit(int envelopes) {
            this.queueLimit = envelopes;
            return this;
        }

        /**
         * @param limits limits on reassembly of chunked messages
         * @return this builder
         */
        public Builder reassembly(ReassemblyLimits limits) {
            this.reassembly = limits;
            return this;
        }

        /**
         * @param bytes the largest envelope accepted
         * @return this builder
         */
        public Builder maxEnvelopeBytes(int bytes) {
            this.maxEnvelopeBytes = bytes;
            return this;
        }

        /**
         * @param period how often incomplete chunk streams are checked for expiry
         * @return this builder
         */
        public Builder expiryCheck(Duration period) {
            this.expiryCheck = period;
            return this;
        }

        /** @return the settings */
        public PeerMessagingSettings build() {
            return new PeerMessagingSettings(transports, queueLimit, reassembly, maxEnvelopeBytes, expiryCheck);
        }
    }
}
