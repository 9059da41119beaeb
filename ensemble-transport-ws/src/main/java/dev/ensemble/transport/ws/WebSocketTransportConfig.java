package dev.ensemble.transport.ws;

import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.signaling.protocol.RoomName;
import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.PeerIdentity;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The immutable settings of one {@link WebSocketTransport}: which signaling server, which room,
 * which identity, and how it reconnects and queues.
 *
 * <pre>{@code
 * WebSocketTransportConfig config = WebSocketTransportConfig
 *     .builder(URI.create("ws://127.0.0.1:8787/"), "piano-lobby", PeerIdentity.loadOrCreate(keyFile))
 *     .backoff(Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(30), 0.5))
 *     .build();
 * }</pre>
 *
 * <h2>Reconnect backoff</h2>
 *
 * After a connection is lost (or an attempt fails) the transport waits before the next attempt,
 * by the rule of {@link Backoff}: the n-th failure in a row waits {@code min * 2^(n-1)}, capped at
 * {@code max}, shortened by a random fraction of up to {@code jitter}, so that many clients that
 * lost the same server do not come back in one burst. With the default, {@link #DEFAULT_BACKOFF}
 * (250 ms, 30 s, jitter 0.5), the waits are at most 0.25, 0.5, 1, 2, 4, 8, 16, 30, 30, ... s and at
 * least half of that. The count of failures resets once the transport is back in its room.
 *
 * <h2>Message size</h2>
 *
 * {@link #maxMessageSize()} is the largest payload {@link WebSocketTransport#send} accepts. A
 * relay frame adds {@value RelayFrame#FIXED_HEADER_BYTES} bytes plus the room name, and the
 * server drops frames above its frame limit (128 KiB by default), so the payload limit must be at
 * most the server's limit minus that header. The default, 64 KiB, fits the default server; the
 * chunking layer above splits larger envelopes.
 *
 * <p>Immutable and thread-safe.
 */
public final class WebSocketTransportConfig {

    /**
     * Default reconnect backoff: from 250 ms doubling to 30 s, each wait shortened by a random
     * fraction of up to half of itself.
     */
    public static final Backoff DEFAULT_BACKOFF = Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(30), 0.5);
    /** Default bound of the send queue, in messages. */
    public static final int DEFAULT_SEND_QUEUE_CAPACITY = 1024;
    /** Default time from opening a connection to being back in the room before giving it up. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default largest payload: 64 KiB, which fits the server's default 128 KiB frame limit. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;

    private final URI serverUri;
    private final String room;
    private final String joinToken;
    private final Function<String, String> joinTokenFromNonce;
    private final PeerIdentity identity;
    private final Backoff backoff;
    private final int sendQueueCapacity;
    private final Duration connectTimeout;
    private final int maxMessageSize;

    private WebSocketTransportConfig(Builder builder) {
        this.serverUri = builder.serverUri;
        this.room = builder.room;
        this.joinToken = builder.joinToken;
        this.joinTokenFromNonce = builder.joinTokenFromNonce;
        this.identity = builder.identity;
        this.backoff = builder.backoff;
        this.sendQueueCapacity = builder.sendQueueCapacity;
        this.connectTimeout = builder.connectTimeout;
        this.maxMessageSize = builder.maxMessageSize;
    }

    /**
     * Starts a builder with the three settings that have no default.
     *
     * @param serverUri the signaling server, {@code ws://} or {@code wss://}
     * @param room the room to join (1 to 128 characters of {@code A-Z a-z 0-9 . _ ~ : @ / + = -})
     * @param identity this peer's key pair; the same identity is used on every reconnect
     * @return a builder with the defaults for everything else
     * @throws IllegalArgumentException if the URI is not a WebSocket URI or the room name is invalid
     */
    public static Builder builder(URI serverUri, String room, PeerIdentity identity) {
        return new Builder(serverUri, room, identity);
    }

    /**
     * Returns a builder holding these settings, to derive a changed copy.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder builder = new Builder(serverUri, room, identity);
        builder.joinToken = joinToken;
        builder.joinTokenFromNonce = joinTokenFromNonce;
        builder.backoff = backoff;
        builder.sendQueueCapacity = sendQueueCapacity;
        builder.connectTimeout = connectTimeout;
        builder.maxMessageSize = maxMessageSize;
        return builder;
    }

    /** @return the signaling server's URI */
    public URI serverUri() {
        return serverUri;
    }

    /** @return the room this transport joins */
    public String room() {
        return room;
    }

    /** @return the join token sent with every {@code join}, or {@code null} for none */
    public String joinToken() {
        return joinToken;
    }

    /**
     * The token of a {@code join} on a connection whose server sent {@code challengeNonce}: made from the
     * nonce if {@link Builder#joinTokenFromNonce} was set, else {@link #joinToken()}.
     *
     * @param challengeNonce the nonce of the server's challenge on this connection
     * @return the token, or {@code null} for none
     */
    public String joinTokenFor(String challengeNonce) {
        return joinTokenFromNonce != null ? joinTokenFromNonce.apply(challengeNonce) : joinToken;
    }

    /** @return this peer's identity */
    public PeerIdentity identity() {
        return identity;
    }

    /** @return the reconnect backoff (see the class comment) */
    public Backoff backoff() {
        return backoff;
    }

    /** @return how many messages and signals may wait to be handed to the socket */
    public int sendQueueCapacity() {
        return sendQueueCapacity;
    }

    /** @return how long an attempt may take from connecting to being in the room */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return the largest payload, in bytes, that {@link WebSocketTransport#send} accepts */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public String toString() {
        return "WebSocketTransportConfig[server=" + serverUri + ", room=" + room + ", peer="
                + identity.peerId() + ", backoff=" + backoff
                + ", sendQueueCapacity=" + sendQueueCapacity + ", connectTimeout=" + connectTimeout
                + ", maxMessageSize=" + maxMessageSize + ", joinToken="
                + (joinToken == null && joinTokenFromNonce == null ? "none" : "set")
                + "]";
    }

    /** Builds a {@link WebSocketTransportConfig}; not thread-safe. */
    public static final class Builder {
        private final URI serverUri;
        private final String room;
        private final PeerIdentity identity;
        private String joinToken;
        private Function<String, String> joinTokenFromNonce;
        private Backoff backoff = DEFAULT_BACKOFF;
        private int sendQueueCapacity = DEFAULT_SEND_QUEUE_CAPACITY;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

        private Builder(URI serverUri, String room, PeerIdentity identity) {
            Objects.requireNonNull(serverUri, "serverUri");
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(identity, "identity");
            String scheme = serverUri.getScheme();
            if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("serverUri must start with ws:// or wss:// but is " + serverUri);
            }
            if (!RoomName.isValid(room)) {
                throw new IllegalArgumentException("room must be 1.." + RoomName.MAX_LENGTH
                        + " characters of A-Z a-z 0-9 . _ ~ : @ / + = - but is \"" + room + "\"");
            }
            this.serverUri = serverUri;
            this.room = room;
            this.identity = identity;
        }

        /**
         * Sets the join token sent with every {@code join}, for servers that require one.
         *
         * @param token the token, or {@code null} for none (the default)
         * @return this builder
         */
        public Builder joinToken(String token) {
            this.joinToken = token;
            return this;
        }

        /**
         * Makes the join token anew on every connection from the nonce of the server's challenge on it, for a
         * token that proves something about this connection (a closed room's bearer invite and its proof of
         * possession: {@code HeldInvite.joinToken}). Replaces {@link #joinToken(String)}. Called on the
         * transport's thread; must be fast and must not throw.
         *
         * @param fromNonce the nonce (as the server sent it) to the token, or {@code null} to send the fixed token
         * @return this builder
         */
        public Builder joinTokenFromNonce(Function<String, String> fromNonce) {
            this.joinTokenFromNonce = fromNonce;
            return this;
        }

        /**
         * Sets the reconnect backoff (see the class comment).
         *
         * @param backoff the backoff; its {@code min} must be positive
         * @return this builder
         * @throws IllegalArgumentException if {@code backoff.min()} is zero: a transport would then
         *     reconnect in a tight loop while the server is down
         */
        public Builder backoff(Backoff backoff) {
            Objects.requireNonNull(backoff, "backoff");
            if (backoff.min().isZero()) {
                throw new IllegalArgumentException("the reconnect backoff's min must be positive (zero would reconnect"
                        + " in a tight loop while the server is down) but is " + backoff);
            }
            this.backoff = backoff;
            return this;
        }

        /**
         * Sets how many messages and signals may wait to be handed to the socket; beyond it {@code
         * send} returns {@code false}.
         *
         * @param messages the bound, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code messages} is less than 1
         */
        public Builder sendQueueCapacity(int messages) {
            if (messages < 1) {
                throw new IllegalArgumentException("sendQueueCapacity must be at least 1 but is " + messages);
            }
            this.sendQueueCapacity = messages;
            return this;
        }

        /**
         * Sets how long one attempt may take from opening the connection to being in the room; an
         * attempt that takes longer is abandoned and retried after the backoff.
         *
         * @param timeout the timeout, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is not positive
         */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive but is " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets the largest payload {@code send} accepts: at most the server's frame limit minus
         * {@value RelayFrame#FIXED_HEADER_BYTES} bytes and the room name.
         *
         * @param bytes the limit, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is less than 1
         */
        public Builder maxMessageSize(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxMessageSize must be at least 1 but is " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /** @return the configuration */
        public WebSocketTransportConfig build() {
            return new WebSocketTransportConfig(this);
        }
    }
}
