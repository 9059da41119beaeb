package dev.ensemble.transport.webrtc;

import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.IceServer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link WebRtcTransport} connects: ICE servers and policy, message and queue limits,
 * timeouts and re-dial backoff. Immutable; build one with {@link #builder()} or derive one with
 * {@link #toBuilder()}.
 *
 * <pre>{@code
 * WebRtcConfig config = WebRtcConfig.builder()
 *     .iceServers(List.of(IceServer.of(List.of("turn:turn.example.org:3478"), user, secret)))
 *     .relayOnly(true)                       // hide the peers' addresses from each other
 *     .connectTimeout(Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 *
 * <h2>Defaults and limits</h2>
 *
 * <ul>
 *   <li>{@code iceServers}: unset, so the transport uses the servers the signaling server sends
 *       in its {@code welcome} ({@link WebRtcTransport#useServerIceServers}); set, they override
 *       them. With none at all, peers connect through host candidates only (same network).
 *   <li>{@code relayOnly}: {@code false}. When {@code true} ICE uses TURN relay candidates only;
 *       without a TURN server no connection can form and the transport says so.
 *   <li>{@code maxMessageSize}: {@value #DEFAULT_MAX_MESSAGE_SIZE} bytes, at most {@value
 *       #MAX_MESSAGE_SIZE_LIMIT} (a WebRTC data channel closes silently above 256 KiB).
 *   <li>{@code maxQueuedBytes}: {@value #DEFAULT_MAX_QUEUED_BYTES} bytes per peer not yet handed
 *       to the channel; past it {@code send} returns {@code false}.
 *   <li>{@code connectTimeout}: {@link #DEFAULT_CONNECT_TIMEOUT}, from dialing (or from an ICE
 *       restart) to an open channel; then the connection is dropped and re-dialed.
 *   <li>{@code disconnectedGrace}: {@link #DEFAULT_DISCONNECTED_GRACE}: how long ICE may stay
 *       "disconnected" before an ICE restart (the peer is reported down at once either way).
 *   <li>{@code backoff}: {@link #DEFAULT_BACKOFF}, the re-dial delays by the rule of {@link
 *       Backoff}: doubling from 250 ms to 30 s, each shortened by a random fraction of up to half
 *       so that peers do not retry in lock step: at most 0.25, 0.5, 1, 2, 4, 8, 16, 30, 30 s.
 * </ul>
 *
 * <p>Thread-safe: immutable.
 */
public final class WebRtcConfig {

    /** Default largest message: 64 KiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;
    /** Largest allowed {@code maxMessageSize}: 256 KiB, above which a data channel closes. */
    public static final int MAX_MESSAGE_SIZE_LIMIT = 256 * 1024;
    /** Smallest allowed {@code maxMessageSize}, the wire chunker's minimum. */
    public static final int MIN_MESSAGE_SIZE = 512;
    /** Default per-peer queue limit: 16 MiB. */
    public static final int DEFAULT_MAX_QUEUED_BYTES = 16 * 1024 * 1024;
    /** Default time from dialing to an open channel. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default time ICE may stay disconnected before an ICE restart. */
    public static final Duration DEFAULT_DISCONNECTED_GRACE = Duration.ofSeconds(2);
    /** Default re-dial backoff: from 250 ms doubling to 30 s, each wait shortened by up to half. */
    public static final Backoff DEFAULT_BACKOFF = Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(30), 0.5);

    private static final WebRtcConfig DEFAULTS = new Builder().build();

    private final List<IceServer> iceServers;
    private final boolean relayOnly;
    private final int maxMessageSize;
    private final int maxQueuedBytes;
    private final Duration connectTimeout;
    private final Duration disconnectedGrace;
    private final Backoff backoff;

    private WebRtcConfig(Builder b) {
        this.iceServers = b.iceServers;
        this.relayOnly = b.relayOnly;
        this.maxMessageSize = b.maxMessageSize;
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.connectTimeout = b.connectTimeout;
        this.disconnectedGrace = b.disconnectedGrace;
        this.backoff = b.backoff;
    }

    /**
     * Returns the defaults.
     *
     * @return the default configuration
     */
    public static WebRtcConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder with this configuration's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.iceServers = iceServers;
        b.relayOnly = relayOnly;
        b.maxMessageSize = maxMessageSize;
        b.maxQueuedBytes = maxQueuedBytes;
        b.connectTimeout = connectTimeout;
        b.disconnectedGrace = disconnectedGrace;
        b.backoff = backoff;
        return b;
    }

    /**
     * Returns the application's ICE servers.
     *
     * @return the servers, or empty to use those from the signaling server's {@code welcome}
     */
    public Optional<List<IceServer>> iceServers() {
        return Optional.ofNullable(iceServers);
    }

    /**
     * Tells whether ICE uses TURN relay candidates only.
     *
     * @return the relay-only policy
     */
    public boolean relayOnly() {
        return relayOnly;
    }

    /**
     * Returns the largest message {@code send} accepts.
     *
     * @return bytes
     */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Returns the per-peer limit of bytes queued and not yet handed to the channel.
     *
     * @return bytes
     */
    public int maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /**
     * Returns the time from dialing (or an ICE restart) to an open channel.
     *
     * @return the timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Returns how long ICE may stay disconnected before an ICE restart.
     *
     * @return the grace period
     */
    public Duration disconnectedGrace() {
        return disconnectedGrace;
    }

    /**
     * Returns the re-dial backoff.
     *
     * @return the backoff
     */
    public Backoff backoff() {
        return backoff;
    }

    @Override
    public String toString() {
        return "WebRtcConfig{iceServers=" + iceServers + ", relayOnly=" + relayOnly
                + ", maxMessageSize=" + maxMessageSize + ", maxQueuedBytes=" + maxQueuedBytes
                + ", connectTimeout=" + connectTimeout + ", disconnectedGrace=" + disconnectedGrace
                + ", backoff=" + backoff + "}";
    }

    /** Builds a {@link WebRtcConfig}. Not thread-safe. */
    public static final class Builder {
        private List<IceServer> iceServers;
        private boolean relayOnly;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration disconnectedGrace = DEFAULT_DISCONNECTED_GRACE;
        private Backoff backoff = DEFAULT_BACKOFF;

        private Builder() {}

        /**
         * Sets the ICE servers, overriding those from the signaling server.
         *
         * @param servers the servers; may be empty (host candidates only)
         * @return this builder
         * @throws IllegalArgumentException if a TURN server comes without a username and credential
         */
        public Builder iceServers(List<IceServer> servers) {
            List<IceServer> copy = List.copyOf(Objects.requireNonNull(servers, "servers"));
            for (IceServer server : copy) {
                if (server.isTurn() && !server.hasCredentials()) {
                    throw new IllegalArgumentException("TURN server " + String.join(" ", server.urls())
                            + " needs a username and a credential (for coturn use-auth-secret: the ones from the"
                            + " server's welcome)");
                }
            }
            this.iceServers = copy;
            return this;
        }

        /**
         * Uses the signaling server's ICE servers again (the default).
         *
         * @return this builder
         */
        public Builder serverIceServers() {
            this.iceServers = null;
            return this;
        }

        /**
         * Sets the relay-only policy.
         *
         * @param relayOnly whether ICE may use TURN relay candidates only
         * @return this builder
         */
        public Builder relayOnly(boolean relayOnly) {
            this.relayOnly = relayOnly;
            return this;
        }

        /**
         * Sets the largest message.
         *
         * @param bytes {@value WebRtcConfig#MIN_MESSAGE_SIZE} to {@value
         *     WebRtcConfig#MAX_MESSAGE_SIZE_LIMIT}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxMessageSize(int bytes) {
            if (bytes < MIN_MESSAGE_SIZE || bytes > MAX_MESSAGE_SIZE_LIMIT) {
                throw new IllegalArgumentException("maxMessageSize must be " + MIN_MESSAGE_SIZE + " to "
                        + MAX_MESSAGE_SIZE_LIMIT + " bytes (a data channel closes above 256 KiB), was "
                        + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * Sets the per-peer queue limit.
         *
         * @param bytes positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxQueuedBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxQueuedBytes must be > 0, was " + bytes);
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        /**
         * Sets the connect timeout.
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /**
         * Sets how long ICE may stay disconnected before an ICE restart.
         *
         * @param grace positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder disconnectedGrace(Duration grace) {
            this.disconnectedGrace = positive("disconnectedGrace", grace);
            return this;
        }

        /**
         * Sets the re-dial backoff.
         *
         * @param backoff the backoff; its {@code min} must be positive
         * @return this builder
         * @throws IllegalArgumentException if {@code backoff.min()} is zero: a peer that cannot be
         *     reached would then be re-dialed in a tight loop
         */
        public Builder backoff(Backoff backoff) {
            Objects.requireNonNull(backoff, "backoff");
            if (backoff.min().isZero()) {
                throw new IllegalArgumentException("the re-dial backoff's min must be positive (zero would re-dial an"
                        + " unreachable peer in a tight loop) but is " + backoff);
            }
            this.backoff = backoff;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the immutable configuration
         */
        public WebRtcConfig build() {
            return new WebRtcConfig(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
