package dev.ensemble.transport.ws.direct;

import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of a {@link DirectTransport}: this node's identity, where it listens (if it does),
 * which nodes it dials, and its limits. Immutable; build with {@link #builder(PeerIdentity)}, derive
 * with {@link #toBuilder()}.
 *
 * <pre>{@code
 * DirectTransportConfig config = DirectTransportConfig.builder(identity)
 *     .listen("0.0.0.0", 7400)                                   // accept nodes that dial us
 *     .dial(URI.create("ws://10.0.0.7:7400/"), PeerId.parse("did:key:z6Mk...")) // and dial one
 *     .build();
 * }</pre>
 *
 * <p>Every key and its default:
 *
 * <ul>
 *   <li>{@code listen(host, port)}: none (a node that only dials). Port 0 picks a free port; {@link
 *       DirectTransport#port()} tells which.
 *   <li>{@code dial(uri[, expected])}: none. A dial names the node it expects when given; the
 *       connection is refused if another key answers. A lost dialed connection is dialed again after
 *       the {@link #backoff()}.
 *   <li>{@link #maxMessageSize()}: {@value #DEFAULT_MAX_MESSAGE_SIZE} bytes. A WebSocket frame larger
 *       than this from a peer closes that peer's connection with code 1009.
 *   <li>{@link #sendQueueCapacity()}: {@value #DEFAULT_SEND_QUEUE_CAPACITY} messages per peer not yet
 *       written to the socket; {@code send} returns {@code false} beyond it.
 *   <li>{@link #handshakeTimeout()}: {@link #DEFAULT_HANDSHAKE_TIMEOUT}, from the TCP connection (or,
 *       dialing, from the attempt) to a verified peer; a connection that takes longer is closed with
 *       code 4408.
 *   <li>{@link #maxPendingHandshakes()}: {@value #DEFAULT_MAX_PENDING_HANDSHAKES} accepted connections
 *       that have not finished the handshake; more are closed at once with code 1013, so that idle
 *       sockets cannot exhaust the node. The same number of TCP connections may wait for their
 *       WebSocket upgrade; one more is closed as soon as it is accepted.
 *   <li>{@link #maxPendingHandshakesPerAddress()}: {@value #DEFAULT_MAX_PENDING_HANDSHAKES_PER_ADDRESS}
 *       of those from one IP address, so that one address cannot take every slot and starve the
 *       others. One more upgraded connection from that address is closed at once with code 1013; one
 *       more TCP connection waiting for its upgrade is answered {@code HTTP/1.1 503} and closed. Only
 *       connections still in the handshake count, so many nodes on one host (127.0.0.1 in tests)
 *       connect as long as fewer than this many handshake at the same moment; a dial refused so tries
 *       again after its backoff.
 *   <li>{@link #backoff()}: {@link #DEFAULT_BACKOFF} between attempts to dial a node again.
 * </ul>
 */
public final class DirectTransportConfig {

    /** Default for {@link #maxMessageSize()}: 1 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
    /** Default for {@link #sendQueueCapacity()}. */
    public static final int DEFAULT_SEND_QUEUE_CAPACITY = 4096;
    /** Default for {@link #handshakeTimeout()}. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Default for {@link #maxPendingHandshakes()}. */
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 64;
    /** Default for {@link #maxPendingHandshakesPerAddress()}. */
    public static final int DEFAULT_MAX_PENDING_HANDSHAKES_PER_ADDRESS = 8;
    /** Default for {@link #backoff()}: 250 ms doubling to 30 s, half of it jitter. */
    public static final Backoff DEFAULT_BACKOFF = Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(30), 0.5);

    /**
     * A node to dial.
     *
     * @param uri its address, {@code ws://host:port/}
     * @param expected the node that must answer there, or empty to accept any node that proves its key
     */
    public record Dial(URI uri, Optional<PeerId> expected) {
        /** Checks the scheme. */
        public Dial {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(expected, "expected");
            if (!"ws".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0) {
                throw new IllegalArgumentException(
                        "a node's address must be ws://HOST:PORT/ (with an explicit port) but is '" + uri + "'");
            }
        }
    }

    private final PeerIdentity identity;
    private final String listenHost;
    private final int listenPort;
    private final List<Dial> dials;
    private final int maxMessageSize;
    private final int sendQueueCapacity;
    private final Duration handshakeTimeout;
    private final int maxPendingHandshakes;
    private final int maxPendingHandshakesPerAddress;
    private final Backoff backoff;

    private DirectTransportConfig(Builder builder) {
        this.identity = builder.identity;
        this.listenHost = builder.listenHost;
        this.listenPort = builder.listenPort;
        this.dials = List.copyOf(builder.dials);
        this.maxMessageSize = builder.maxMessageSize;
        this.sendQueueCapacity = builder.sendQueueCapacity;
        this.handshakeTimeout = builder.handshakeTimeout;
        this.maxPendingHandshakes = builder.maxPendingHandshakes;
        this.maxPendingHandshakesPerAddress = builder.maxPendingHandshakesPerAddress;
        this.backoff = builder.backoff;
    }

    /**
     * Starts a configuration for the node with {@code identity}.
     *
     * @param identity this node's key; its {@code did:key} is the node's address
     * @return a builder with the defaults
     */
    public static Builder builder(PeerIdentity identity) {
        return new Builder(Objects.requireNonNull(identity, "identity"));
    }

    /** A builder holding this configuration, to derive another. */
    public Builder toBuilder() {
        Builder builder = new Builder(identity);
        builder.listenHost = listenHost;
        builder.listenPort = listenPort;
        builder.dials.addAll(dials);
        builder.maxMessageSize = maxMessageSize;
        builder.sendQueueCapacity = sendQueueCapacity;
        builder.handshakeTimeout = handshakeTimeout;
        builder.maxPendingHandshakes = maxPendingHandshakes;
        builder.maxPendingHandshakesPerAddress = maxPendingHandshakesPerAddress;
        builder.backoff = backoff;
        return builder;
    }

    /** This node's identity. */
    public PeerIdentity identity() {
        return identity;
    }

    /** The host to listen on, or empty for a node that only dials. */
    public Optional<String> listenHost() {
        return Optional.ofNullable(listenHost);
    }

    /** The port to listen on (0: any free port); meaningless without {@link #listenHost()}. */
    public int listenPort() {
        return listenPort;
    }

    /** The nodes dialed at start. */
    public List<Dial> dials() {
        return dials;
    }

    /** The largest message in bytes that {@code send} accepts and that a peer may send. */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** Messages per peer queued and not yet written before {@code send} returns false. */
    public int sendQueueCapacity() {
        return sendQueueCapacity;
    }

    /** How long a connection may take to prove its peer. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Accepted connections that may be in the handshake at once. */
    public int maxPendingHandshakes() {
        return maxPendingHandshakes;
    }

    /**
     * Accepted connections from one IP address that may be in the handshake at once (and, before
     * that, TCP connections from one address that may wait for their WebSocket upgrade). Only
     * connections still in the handshake count: any number of verified nodes may share an address.
     */
    public int maxPendingHandshakesPerAddress() {
        return maxPendingHandshakesPerAddress;
    }

    /** The delay before dialing a node again. */
    public Backoff backoff() {
        return backoff;
    }

    /** A builder of {@link DirectTransportConfig}; not thread-safe. */
    public static final class Builder {
        private final PeerIdentity identity;
        private String listenHost;
        private int listenPort;
        private final List<Dial> dials = new ArrayList<>();
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int sendQueueCapacity = DEFAULT_SEND_QUEUE_CAPACITY;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int maxPendingHandshakes = DEFAULT_MAX_PENDING_HANDSHAKES;
        private int maxPendingHandshakesPerAddress = DEFAULT_MAX_PENDING_HANDSHAKES_PER_ADDRESS;
        private Backoff backoff = DEFAULT_BACKOFF;

        private Builder(PeerIdentity identity) {
            this.identity = identity;
        }

        /**
         * Listens for nodes that dial this one.
         *
         * @param host the address to bind, e.g. {@code "127.0.0.1"} or {@code "0.0.0.0"}
         * @param port the port, 0 for any free one
         * @return this builder
         */
        public Builder listen(String host, int port) {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be within 0..65535 but is " + port);
            }
            this.listenHost = host;
            this.listenPort = port;
            return this;
        }

        /**
         * Dials any node at {@code uri} (whichever key it proves).
         *
         * @param uri {@code ws://HOST:PORT/}
         * @return this builder
         */
        public Builder dial(URI uri) {
            dials.add(new Dial(uri, Optional.empty()));
            return this;
        }

        /**
         * Dials the node {@code expected} at {@code uri}; another key answering there is refused.
         *
         * @param uri {@code ws://HOST:PORT/}
         * @param expected the node's {@code did:key}
         * @return this builder
         */
        public Builder dial(URI uri, PeerId expected) {
            dials.add(new Dial(uri, Optional.of(Objects.requireNonNull(expected, "expected"))));
            return this;
        }

        /** Sets {@link DirectTransportConfig#maxMessageSize()}; at least 1 KiB. */
        public Builder maxMessageSize(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxMessageSize must be at least 1024 bytes but is " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /** Sets {@link DirectTransportConfig#sendQueueCapacity()}; positive. */
        public Builder sendQueueCapacity(int messages) {
            if (messages <= 0) {
                throw new IllegalArgumentException("sendQueueCapacity must be positive but is " + messages);
            }
            this.sendQueueCapacity = messages;
            return this;
        }

        /** Sets {@link DirectTransportConfig#handshakeTimeout()}; positive. */
        public Builder handshakeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive but is " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /** Sets {@link DirectTransportConfig#maxPendingHandshakes()}; positive. */
        public Builder maxPendingHandshakes(int connections) {
            if (connections <= 0) {
                throw new IllegalArgumentException("maxPendingHandshakes must be positive but is " + connections);
            }
            this.maxPendingHandshakes = connections;
            return this;
        }

        /** Sets {@link DirectTransportConfig#maxPendingHandshakesPerAddress()}; positive. */
        public Builder maxPendingHandshakesPerAddress(int connections) {
            if (connections <= 0) {
                throw new IllegalArgumentException(
                        "maxPendingHandshakesPerAddress must be positive but is " + connections);
            }
            this.maxPendingHandshakesPerAddress = connections;
            return this;
        }

        /** Sets {@link DirectTransportConfig#backoff()}. */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** Builds the configuration. */
        public DirectTransportConfig build() {
            return new DirectTransportConfig(this);
        }
    }
}
