package dev.ensemble.signaling.server;

import dev.ensemble.collab.repo.server.RepoServerSettings;
import dev.ensemble.signaling.cluster.ClusterNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Everything a {@link SignalingServer} can be told: addresses, limits, timeouts, ICE servers, join
 * policy and the Redis of a cluster. Immutable; build one with {@link #builder()} and derive variants with {@link #toBuilder()}.
 * Every default is a named constant below.
 *
 * <pre>{@code
 * SignalingServerConfig config = SignalingServerConfig.builder()
 *         .host("127.0.0.1").port(0).metricsPort(0)
 *         .maxPeersPerRoom(8)
 *         .stunUrls(List.of("stun:stun.example.org:3478"))
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 */
public final class SignalingServerConfig {

    /** Listen on every interface: a signaling server exists to be reached by peers on other machines. */
    public static final String DEFAULT_HOST = "0.0.0.0";
    /** WebSocket port; 0 picks a free port. */
    public static final int DEFAULT_PORT = 8787;
    /** HTTP port for {@code /healthz} and {@code /metrics}; 0 picks a free port, {@link #METRICS_DISABLED} turns it off. */
    public static final int DEFAULT_METRICS_PORT = 8788;
    /** Value of {@code metricsPort} that disables the HTTP endpoint. */
    public static final int METRICS_DISABLED = -1;
    /**
     * Largest frame (text or binary) the server accepts, in bytes. 128 KiB fits a 64 KiB relay chunk (the
     * size peers are told to use) with room to spare; a larger frame gets {@code too-large} and is dropped.
     */
    public static final int DEFAULT_MAX_FRAME_BYTES = 128 * 1024;
    /**
     * A frame this many times {@code maxFrameBytes} or larger is not even read: the connection is closed
     * with WebSocket close code 1009, because buffering it would already be the attack.
     */
    public static final int HARD_FRAME_LIMIT_FACTOR = 4;
    /** {@code hello}, {@code join}, {@code leave} and malformed frames: a person clicking, not a program looping. */
    public static final RateLimit DEFAULT_CONTROL_RATE = new RateLimit(20, 50);
    /** {@code signal}: an ICE negotiation sends tens of candidates in a burst, for a handful of peers. */
    public static final RateLimit DEFAULT_SIGNAL_RATE = new RateLimit(200, 500);
    /** Binary relay frames: the fallback data path for a live session (e.g. piano notes and sync). */
    public static final RateLimit DEFAULT_RELAY_RATE = new RateLimit(2_000, 4_000);
    /**
     * Messages dropped for exceeding a rate limit within one {@link #FLOOD_WINDOW} before the server gives up
     * on the connection and closes it (close code 1008). Only the first drop of a streak gets an error frame.
     */
    public static final int DEFAULT_FLOOD_DISCONNECT_THRESHOLD = 1_000;
    /** The window in which dropped messages are counted against {@code floodDisconnectThreshold}. */
    public static final Duration FLOOD_WINDOW = Duration.ofSeconds(10);
    /** Peers in one room; a join beyond it gets {@code room-full}. */
    public static final int DEFAULT_MAX_PEERS_PER_ROOM = 64;
    /** Rooms one connection may be in at once; a join beyond it gets {@code too-many-rooms}. */
    public static final int DEFAULT_MAX_ROOMS_PER_CONNECTION = 16;
    /** Time from connect to a valid {@code hello}; later, the connection gets {@code handshake-timeout} and is closed. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Keep-alive: the server pings every connection this often and closes one that has not answered a ping
     * for 1.5 times this long. The pings are spread evenly over the period (a slice of the connections every
     * 100 ms), not sent to all connections at once.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How often the write guard re-checks connections written to recently. Java-WebSocket 1.6.0 can leave a
     * queued frame unsent (see {@code WriteGuard}); this is the most such a frame waits.
     */
    public static final Duration DEFAULT_WRITE_GUARD_INTERVAL = Duration.ofMillis(1);
    /** The path of the automerge-repo endpoint: {@code ws://host:port/automerge-repo} (any other path is signaling). */
    public static final String AUTOMERGE_REPO_PATH = "/automerge-repo";
    /** Lifetime of the TURN credentials handed out in {@code welcome} (coturn's REST API default is one day). */
    public static final Duration DEFAULT_TURN_CREDENTIAL_TTL = Duration.ofHours(24);

    private final String host;
    private final int port;
    private final int metricsPort;
    private final int maxFrameBytes;
    private final RateLimit controlRate;
    private final RateLimit signalRate;
    private final RateLimit relayRate;
    private final int floodDisconnectThreshold;
    private final int maxPeersPerRoom;
    private final int maxRoomsPerConnection;
    private final Duration handshakeTimeout;
    private final Duration idleTimeout;
    private final Duration writeGuardInterval;
    private final List<String> stunUrls;
    private final List<String> turnUrls;
    private final String turnSecret;
    private final Duration turnCredentialTtl;
    private final String joinTokenSecret;
    private final String redisUri;
    private final JoinAuthorizer joinAuthorizer;
    private final Clock clock;
    private final LongSupplier rateClock;
    private final RepoServerSettings automergeRepo;
    private final boolean inspect;

    private SignalingServerConfig(Builder builder) {
        this.host = builder.host;
        this.port = builder.port;
        this.metricsPort = builder.metricsPort;
        this.maxFrameBytes = builder.maxFrameBytes;
        this.controlRate = builder.controlRate;
        this.signalRate = builder.signalRate;
        this.relayRate = builder.relayRate;
        this.floodDisconnectThreshold = builder.floodDisconnectThreshold;
        this.maxPeersPerRoom = builder.maxPeersPerRoom;
        this.maxRoomsPerConnection = builder.maxRoomsPerConnection;
        this.handshakeTimeout = builder.handshakeTimeout;
        this.idleTimeout = builder.idleTimeout;
        this.writeGuardInterval = builder.writeGuardInterval;
        this.stunUrls = builder.stunUrls;
        this.turnUrls = builder.turnUrls;
        this.turnSecret = builder.turnSecret;
        this.turnCredentialTtl = builder.turnCredentialTtl;
        this.joinTokenSecret = builder.joinTokenSecret;
        this.redisUri = builder.redisUri;
        this.joinAuthorizer = builder.joinAuthorizer;
        this.clock = builder.clock;
        this.rateClock = builder.rateClock;
        this.automergeRepo = builder.automergeRepo;
        this.inspect = builder.inspect;
    }

    /**
     * The automerge-repo sync endpoint at {@link #AUTOMERGE_REPO_PATH}: its data directory, access policy
     * and limits; null when the endpoint is off. By default on, keeping documents in memory only.
     */
    public RepoServerSettings automergeRepo() {
        return automergeRepo;
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder preset for a server embedded in a process: host {@code 127.0.0.1}, port 0 (a free port chosen
     * at {@link SignalingServer#start()}; {@link SignalingServer#port()} and {@link SignalingServer#uri()} tell
     * which) and the metrics endpoint off ({@link #METRICS_DISABLED}). Every other value is the default. For the
     * piano's embedded server, tests and benchmarks: only this machine can connect, two such servers never
     * collide on a port, and none opens a second HTTP port. Each setter still overrides its preset (e.g.
     * {@code .port(8787)} for a fixed port).
     *
     * <pre>{@code
     * SignalingServer server = new SignalingServer(SignalingServerConfig.loopback()
     *                 .relayRate(new RateLimit(1_000_000, 1_000_000))
     *                 .build())
     *         .start();
     * URI uri = server.uri(); // ws://127.0.0.1:<the chosen port>
     * }</pre>
     */
    public static Builder loopback() {
        return builder().host("127.0.0.1").port(0).metricsPort(METRICS_DISABLED);
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Address the WebSocket and metrics servers bind to. */
    public String host() {
        return host;
    }

    /** WebSocket port (0 = any free port). */
    public int port() {
        return port;
    }

    /** HTTP metrics port (0 = any free port, {@link #METRICS_DISABLED} = off). */
    public int metricsPort() {
        return metricsPort;
    }

    /** Largest accepted frame in bytes. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Rate of {@code hello}/{@code join}/{@code leave} and malformed frames per connection. */
    public RateLimit controlRate() {
        return controlRate;
    }

    /** Rate of {@code signal} messages per connection. */
    public RateLimit signalRate() {
        return signalRate;
    }

    /** Rate of binary relay frames per connection. */
    public RateLimit relayRate() {
        return relayRate;
    }

    /** Rate-limited messages within {@link #FLOOD_WINDOW} after which the connection is closed. */
    public int floodDisconnectThreshold() {
        return floodDisconnectThreshold;
    }

    /** Most peers in one room. */
    public int maxPeersPerRoom() {
        return maxPeersPerRoom;
    }

    /** Most rooms per connection. */
    public int maxRoomsPerConnection() {
        return maxRoomsPerConnection;
    }

    /** Time allowed from connect to a valid {@code hello}. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Keep-alive ping interval and idle limit. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Write guard re-check interval. */
    public Duration writeGuardInterval() {
        return writeGuardInterval;
    }

    /** STUN URLs handed out in {@code welcome}. */
    public List<String> stunUrls() {
        return stunUrls;
    }

    /** TURN URLs handed out in {@code welcome}, with per-peer credentials when {@link #turnSecret()} is set. */
    public List<String> turnUrls() {
        return turnUrls;
    }

    /** The secret shared with the TURN server ({@code static-auth-secret} in coturn), or null. */
    public String turnSecret() {
        return turnSecret;
    }

    /** Lifetime of issued TURN credentials. */
    public Duration turnCredentialTtl() {
        return turnCredentialTtl;
    }

    /** Secret for signed join tokens, or null when joins need no token. */
    public String joinTokenSecret() {
        return joinTokenSecret;
    }

    /**
     * The Redis that makes this server one node of a cluster ({@code redis://[:password@]host:port[/db]} or
     * {@code rediss://...}), or null for a server on its own. See {@code docs/DEPLOYMENT.md}.
     */
    public String redisUri() {
        return redisUri;
    }

    /** Decides who may join which room (after the token check, if any). */
    public JoinAuthorizer joinAuthorizer() {
        return joinAuthorizer;
    }

    /**
     * Whether the server opens a local inspection socket ({@code --inspect}): its rooms and connections as
     * a read-only namespace for {@code ensemble-shell --pid PID} (docs/SHELL.md). Off by default. The socket
     * is named after the process ({@code PID-signaling.sock}): one inspected server per process; a second
     * one's {@code start()} fails naming the path.
     */
    public boolean inspect() {
        return inspect;
    }

    /** Clock for token expiry and TURN credential expiry. */
    public Clock clock() {
        return clock;
    }

    /** Monotonic nanoseconds for rate limits and the flood window; {@code System::nanoTime} but in tests. */
    LongSupplier rateClock() {
        return rateClock;
    }

    /** Shows every value except the secrets. */
    @Override
    public String toString() {
        return "SignalingServerConfig[host=" + host + ", port=" + port + ", metricsPort=" + metricsPort
                + ", maxFrameBytes=" + maxFrameBytes + ", controlRate=" + controlRate + ", signalRate=" + signalRate
                + ", relayRate=" + relayRate + ", floodDisconnectThreshold=" + floodDisconnectThreshold
                + ", maxPeersPerRoom=" + maxPeersPerRoom + ", maxRoomsPerConnection=" + maxRoomsPerConnection
                + ", handshakeTimeout=" + handshakeTimeout + ", idleTimeout=" + idleTimeout
                + ", writeGuardInterval=" + writeGuardInterval + ", stunUrls=" + stunUrls + ", turnUrls=" + turnUrls
                + ", turnSecret=" + (turnSecret == null ? "unset" : "set") + ", turnCredentialTtl=" + turnCredentialTtl
                + ", joinTokens=" + (joinTokenSecret == null ? "not required" : "required") + ", redis="
                + (redisUri == null ? "none (single server)" : ClusterNode.checkRedisUri(redisUri)) + ", automergeRepo="
                + (automergeRepo == null ? "off" : automergeRepo) + ", inspect=" + inspect + "]";
    }

    /**
     * Builds a {@link SignalingServerConfig}; every setter checks its argument at once and names the rule.
     * Not thread-safe.
     */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private int metricsPort = DEFAULT_METRICS_PORT;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private RateLimit controlRate = DEFAULT_CONTROL_RATE;
        private RateLimit signalRate = DEFAULT_SIGNAL_RATE;
        private RateLimit relayRate = DEFAULT_RELAY_RATE;
        private int floodDisconnectThreshold = DEFAULT_FLOOD_DISCONNECT_THRESHOLD;
        private int maxPeersPerRoom = DEFAULT_MAX_PEERS_PER_ROOM;
        private int maxRoomsPerConnection = DEFAULT_MAX_ROOMS_PER_CONNECTION;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration writeGuardInterval = DEFAULT_WRITE_GUARD_INTERVAL;
        private List<String> stunUrls = List.of();
        private List<String> turnUrls = List.of();
        private String turnSecret;
        private Duration turnCredentialTtl = DEFAULT_TURN_CREDENTIAL_TTL;
        private String joinTokenSecret;
        private String redisUri;
        private JoinAuthorizer joinAuthorizer = JoinAuthorizer.ALLOW_ALL;
        private Clock clock = Clock.systemUTC();
        private LongSupplier rateClock = System::nanoTime;
        private RepoServerSettings automergeRepo = RepoServerSettings.builder().build();
        private boolean inspect;

        private Builder() {}

        private Builder(SignalingServerConfig config) {
            host = config.host;
            port = config.port;
            metricsPort = config.metricsPort;
            maxFrameBytes = config.maxFrameBytes;
            controlRate = config.controlRate;
            signalRate = config.signalRate;
            relayRate = config.relayRate;
            floodDisconnectThreshold = config.floodDisconnectThreshold;
            maxPeersPerRoom = config.maxPeersPerRoom;
            maxRoomsPerConnection = config.maxRoomsPerConnection;
            handshakeTimeout = config.handshakeTimeout;
            idleTimeout = config.idleTimeout;
            writeGuardInterval = config.writeGuardInterval;
            stunUrls = config.stunUrls;
            turnUrls = config.turnUrls;
            turnSecret = config.turnSecret;
            turnCredentialTtl = config.turnCredentialTtl;
            joinTokenSecret = config.joinTokenSecret;
            redisUri = config.redisUri;
            joinAuthorizer = config.joinAuthorizer;
            clock = config.clock;
            rateClock = config.rateClock;
            automergeRepo = config.automergeRepo;
            inspect = config.inspect;
        }

        /**
         * The automerge-repo endpoint's settings (data directory, access policy, limits), or null to turn
         * the endpoint off (its path is then refused at the WebSocket handshake).
         */
        public Builder automergeRepo(RepoServerSettings automergeRepo) {
            this.automergeRepo = automergeRepo;
            return this;
        }

        /** The automerge-repo settings so far (null: off); for {@link Main}'s options, which set them one by one. */
        RepoServerSettings automergeRepoSoFar() {
            return automergeRepo;
        }

        /** Bind address, e.g. {@code "127.0.0.1"}. */
        public Builder host(String host) {
            this.host = requireText(host, "host");
            return this;
        }

        /** WebSocket port, 0..65535 (0 = any free port). */
        public Builder port(int port) {
            this.port = checkPort(port, "port", false);
            return this;
        }

        /** Metrics port, 0..65535 (0 = any free port) or {@link #METRICS_DISABLED}. */
        public Builder metricsPort(int metricsPort) {
            this.metricsPort = checkPort(metricsPort, "metricsPort", true);
            return this;
        }

        /** Largest accepted frame, 1 KiB .. 64 MiB. */
        public Builder maxFrameBytes(int maxFrameBytes) {
            if (maxFrameBytes < 1024 || maxFrameBytes > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("maxFrameBytes must be 1024..67108864 but is " + maxFrameBytes);
            }
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /** Rate of control messages per connection. */
        public Builder controlRate(RateLimit controlRate) {
            this.controlRate = Objects.requireNonNull(controlRate, "controlRate");
            return this;
        }

        /** Rate of {@code signal} messages per connection. */
        public Builder signalRate(RateLimit signalRate) {
            this.signalRate = Objects.requireNonNull(signalRate, "signalRate");
            return this;
        }

        /** Rate of relay frames per connection. */
        public Builder relayRate(RateLimit relayRate) {
            this.relayRate = Objects.requireNonNull(relayRate, "relayRate");
            return this;
        }

        /** Rate-limited messages within {@link #FLOOD_WINDOW} that close the connection, at least 1. */
        public Builder floodDisconnectThreshold(int floodDisconnectThreshold) {
            this.floodDisconnectThreshold = atLeastOne(floodDisconnectThreshold, "floodDisconnectThreshold");
            return this;
        }

        /** Most peers in one room, at least 1. */
        public Builder maxPeersPerRoom(int maxPeersPerRoom) {
            this.maxPeersPerRoom = atLeastOne(maxPeersPerRoom, "maxPeersPerRoom");
            return this;
        }

        /** Most rooms per connection, at least 1. */
        public Builder maxRoomsPerConnection(int maxRoomsPerConnection) {
            this.maxRoomsPerConnection = atLeastOne(maxRoomsPerConnection, "maxRoomsPerConnection");
            return this;
        }

        /** Time allowed for the handshake, positive. */
        public Builder handshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = positive(handshakeTimeout, "handshakeTimeout");
            return this;
        }

        /** Keep-alive interval and idle limit, at least one second. */
        public Builder idleTimeout(Duration idleTimeout) {
            if (positive(idleTimeout, "idleTimeout").compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("idleTimeout must be at least 1 s (the keep-alive works in whole "
                        + "seconds) but is " + idleTimeout);
            }
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** Write guard re-check interval, 100 µs .. 1 s. */
        public Builder writeGuardInterval(Duration writeGuardInterval) {
            positive(writeGuardInterval, "writeGuardInterval");
            if (writeGuardInterval.compareTo(Duration.ofNanos(100_000)) < 0
                    || writeGuardInterval.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException(
                        "writeGuardInterval must be 100 µs .. 1 s but is " + writeGuardInterval);
            }
            this.writeGuardInterval = writeGuardInterval;
            return this;
        }

        /** STUN URLs for {@code welcome}, each starting with {@code stun:} or {@code stuns:}. */
        public Builder stunUrls(List<String> stunUrls) {
            this.stunUrls = checkUrls(stunUrls, "stunUrls", "stun:", "stuns:");
            return this;
        }

        /** TURN URLs for {@code welcome}, each starting with {@code turn:} or {@code turns:}. */
        public Builder turnUrls(List<String> turnUrls) {
            this.turnUrls = checkUrls(turnUrls, "turnUrls", "turn:", "turns:");
            return this;
        }

        /** Secret shared with the TURN server, or null for none. */
        public Builder turnSecret(String turnSecret) {
            this.turnSecret = turnSecret == null ? null : requireText(turnSecret, "turnSecret");
            return this;
        }

        /** Lifetime of TURN credentials, positive. */
        public Builder turnCredentialTtl(Duration turnCredentialTtl) {
            this.turnCredentialTtl = positive(turnCredentialTtl, "turnCredentialTtl");
            return this;
        }

        /** Secret for join tokens (at least 16 characters), or null to accept joins without tokens. */
        public Builder joinTokenSecret(String joinTokenSecret) {
            if (joinTokenSecret != null && joinTokenSecret.length() < 16) {
                throw new IllegalArgumentException(
                        "joinTokenSecret must be at least 16 characters but has " + joinTokenSecret.length());
            }
            this.joinTokenSecret = joinTokenSecret;
            return this;
        }

        /**
         * Redis URI that makes this server a node of a cluster, or null (the default) for a server on its own.
         *
         * @throws IllegalArgumentException if it is not {@code redis://...} or {@code rediss://...}
         */
        public Builder redisUri(String redisUri) {
            if (redisUri != null) {
                ClusterNode.checkRedisUri(redisUri);
            }
            this.redisUri = redisUri;
            return this;
        }

        /**
         * Whether to open a local inspection socket showing the rooms and connections read-only (default
         * false); see {@link SignalingServerConfig#inspect()}.
         */
        public Builder inspect(boolean inspect) {
            this.inspect = inspect;
            return this;
        }

        /** Who may join which room. */
        public Builder joinAuthorizer(JoinAuthorizer joinAuthorizer) {
            this.joinAuthorizer = Objects.requireNonNull(joinAuthorizer, "joinAuthorizer");
            return this;
        }

        /** Clock for expiry checks (tests pass a fixed clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Monotonic nanosecond source for rate limits (tests freeze it so that exactly the burst passes and every
         * further message counts against the flood threshold, whatever the machine's speed).
         */
        Builder rateClock(LongSupplier rateClock) {
            this.rateClock = Objects.requireNonNull(rateClock, "rateClock");
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException if TURN URLs are given without a TURN secret or the other way round
         */
        public SignalingServerConfig build() {
            if (turnSecret != null && turnUrls.isEmpty()) {
                throw new IllegalArgumentException(
                        "turnSecret is set but turnUrls is empty; give the TURN server URLs too");
            }
            return new SignalingServerConfig(this);
        }

        private static String requireText(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be empty");
            }
            return value;
        }

        private static int checkPort(int port, String name, boolean mayDisable) {
            if ((port < 0 || port > 65_535) && !(mayDisable && port == METRICS_DISABLED)) {
                throw new IllegalArgumentException(
                        name + " must be 0..65535" + (mayDisable ? " or -1 (disabled)" : "") + " but is " + port);
            }
            return port;
        }

        private static int atLeastOne(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1 but is " + value);
            }
            return value;
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive but is " + value);
            }
            return value;
        }

        private static List<String> checkUrls(List<String> urls, String name, String... schemes) {
            List<String> copy = List.copyOf(Objects.requireNonNull(urls, name));
            for (String url : copy) {
                boolean known = false;
                for (String scheme : schemes) {
                    known |= url.startsWith(scheme);
                }
                if (!known) {
                    throw new IllegalArgumentException(name + " entries must start with " + String.join(" or ", schemes)
                            + " but one is '" + url + "'");
                }
            }
            return copy;
        }
    }
}
