package dev.ensemble.signaling.server;

import dev.ensemble.collab.repo.server.RepoSyncServer;
import dev.ensemble.collab.storage.StorageException;
import dev.ensemble.signaling.cluster.ClusterNode;
import dev.ensemble.transport.OwnerThread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable signaling server: peers prove their {@code did:key} identity, join rooms, exchange
 * signals and relay data through it. The protocol is described in {@code docs/PROTOCOL.md}. On the same
 * port, at {@link #automergeRepoUri()}, it is also an automerge-repo sync server for JavaScript apps
 * and Java clients (a {@code RepoSyncServer} of ensemble-collab; see {@code docs/AUTOMERGE-REPO.md}).
 *
 * <p>Lifecycle: create, {@link #start()} (returns once both ports are bound), use {@link #port()} and
 * {@link #metricsPort()}, then {@link #stop(Duration)}: clients get a {@code shutting-down} error and a
 * close frame (code 1001), connections that do not close within the grace period are dropped. A stopped
 * server cannot be started again.
 *
 * <p>Threading: {@code start} and {@code stop} may be called from any thread but not concurrently with
 * each other (they are synchronized); the getters are thread-safe. Internally, WebSocket callbacks run on
 * Java-WebSocket's threads and all room state on one room thread.
 *
 * <pre>{@code
 * SignalingServer server = new SignalingServer(SignalingServerConfig.builder()
 *         .host("127.0.0.1").port(0).metricsPort(0).build()).start();
 * URI uri = server.uri();                 // ws://127.0.0.1:<port>
 * ...
 * server.stop(Duration.ofSeconds(2));
 * }</pre>
 */
public final class SignalingServer implements AutoCloseable {

    /** Grace period used by {@link #close()}. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(2);
    /** Longest {@link #start()} waits for the WebSocket port to be bound. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);

    private final SignalingServerConfig config;
    private final ServerMetrics metrics = new ServerMetrics();
    private final WsServer webSockets;
    private final Hub hub;
    private final WriteGuard writeGuard;
    private final KeepAlive keepAlive;
    /** Null for a server on its own. */
    private final ClusterNode cluster;

    /** The automerge-repo endpoint's engine; null until started, and when the endpoint is off. */
    private volatile RepoSyncServer repo;

    private MetricsHttpServer metricsHttp;
    /** The local inspection socket ({@link SignalingServerConfig#inspect()}); null when off or not started. */
    private volatile SignalingInspection inspection;

    private volatile State state = State.NEW;

    private enum State {
        NEW,
        RUNNING,
        STOPPING,
        STOPPED
    }

    /** A server for {@code config}; nothing is bound until {@link #start()}. */
    public SignalingServer(SignalingServerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.webSockets = new WsServer(config, metrics);
        this.writeGuard = new WriteGuard(webSockets, metrics, config.writeGuardInterval());
        this.keepAlive = new KeepAlive(webSockets, config.idleTimeout());
        OwnerThread roomThread = OwnerThread.start("signaling-rooms");
        if (config.redisUri() == null) {
            this.cluster = null;
            this.hub = new Hub(config, metrics, roomThread, new InProcessRoomDirectory(), new InProcessBus());
        } else {
            this.cluster = new ClusterNode(config.redisUri(), roomThread);
            this.hub = new Hub(config, metrics, roomThread, new ClusterRoomDirectory(cluster), new ClusterBus(cluster));
            metrics.more(cluster.metrics()::render);
        }
        metrics.gauges(() -> webSockets.getConnections().size(), hub::peerCount, hub::roomCount);
    }

    /**
     * Binds the ports and starts serving.
     *
     * @return this server
     * @throws IOException if a port cannot be bound (the message names the address)
     * @throws IllegalStateException if the server was already started
     */
    public synchronized SignalingServer start() throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("a signaling server can be started once; this one is " + state);
        }
        state = State.RUNNING;
        if (config.automergeRepo() != null) {
            try {
                repo = RepoSyncServer.start(config.automergeRepo());
            } catch (StorageException e) {
                stopQuietly();
                throw new IOException("cannot open the automerge-repo data directory: " + e.getMessage(), e);
            }
        }
        webSockets.bind(hub, writeGuard, repo);
        if (cluster != null) {
            try {
                cluster.start(hub);
            } catch (IOException e) {
                stopQuietly();
                throw e;
            }
        }
        webSockets.start();
        try {
            webSockets.started().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            stopQuietly();
            throw new IOException(
                    "cannot listen on " + config.host() + ":" + config.port() + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            stopQuietly();
            throw new IOException("the WebSocket server did not start within " + START_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly();
            throw new IOException("interrupted while starting", e);
        }
        writeGuard.start();
        keepAlive.start();
        if (config.metricsPort() != SignalingServerConfig.METRICS_DISABLED) {
            try {
                metricsHttp = new MetricsHttpServer(config.host(), config.metricsPort(), metrics, this::healthProblem);
            } catch (IOException | UncheckedIOException e) {
                stopQuietly();
                throw new IOException(
                        "cannot serve metrics on " + config.host() + ":" + config.metricsPort() + ": " + e.getMessage(),
                        e);
            }
        }
        if (config.inspect()) {
            try {
                inspection = SignalingInspection.start(hub);
            } catch (IOException | RuntimeException e) {
                stopQuietly();
                throw new IOException("cannot open the inspection socket: " + e.getMessage(), e);
            }
        }
        log.info("signaling server listening on {} (metrics port {}); {}", uri(), metricsPort(), config);
        return this;
    }

    private String healthProblem() {
        if (state != State.RUNNING) {
            return "stopping";
        }
        if (cluster != null && !cluster.isHealthy()) {
            return "redis unreachable: serving this node's peers only";
        }
        return null;
    }

    /** The id of this server in its cluster, or null when it runs on its own. */
    public String clusterNodeId() {
        return cluster == null ? null : cluster.id();
    }

    /** The bound WebSocket port (the real one when configured with port 0). */
    public int port() {
        return webSockets.getPort();
    }

    /** The bound metrics port, or {@link SignalingServerConfig#METRICS_DISABLED} when metrics are off. */
    public int metricsPort() {
        MetricsHttpServer http = metricsHttp;
        return http == null ? SignalingServerConfig.METRICS_DISABLED : http.port();
    }

    /** {@code ws://host:port}; a wildcard bind address is shown as {@code 127.0.0.1}. */
    public URI uri() {
        String host = "0.0.0.0".equals(config.host()) || "::".equals(config.host()) ? "127.0.0.1" : config.host();
        return URI.create("ws://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /**
     * {@code ws://host:port/automerge-repo}: where automerge-repo clients connect (when the endpoint is
     * on, see {@link SignalingServerConfig#automergeRepo()}).
     */
    public URI automergeRepoUri() {
        return URI.create(uri() + SignalingServerConfig.AUTOMERGE_REPO_PATH);
    }

    /**
     * The local inspection socket that shows this server's rooms and connections read-only ({@code
     * ensemble-shell --socket PATH}, or {@code --pid} with this process's id), or null when the server runs
     * without {@link SignalingServerConfig#inspect()} or is stopped.
     */
    public java.nio.file.Path inspectionSocket() {
        SignalingInspection open = inspection;
        return open == null ? null : open.socket();
    }

    /** The configuration this server runs with. */
    public SignalingServerConfig config() {
        return config;
    }

    /**
     * Stops gracefully: tells every client, waits up to {@code grace} for them to close, then closes the
     * rest and releases both ports. Idempotent.
     */
    public synchronized void stop(Duration grace) {
        if (state == State.STOPPED || state == State.STOPPING) {
            return;
        }
        boolean wasRunning = state == State.RUNNING;
        state = State.STOPPING;
        long deadline = System.nanoTime() + grace.toNanos();
        if (wasRunning) {
            try {
                hub.shutDownClients().get(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS);
                closeRepo();
                while (!webSockets.getConnections().isEmpty() && System.nanoTime() < deadline) {
                    // The library offers no close notification to wait on; a short poll bounds shutdown time.
                    TimeUnit.MILLISECONDS.sleep(5);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("could not tell every client about the shutdown in time", e);
            }
        }
        stopQuietly();
        log.info("signaling server on port {} stopped", port());
    }

    /** {@link #stop(Duration)} with {@link #DEFAULT_STOP_GRACE}. */
    @Override
    public void close() {
        stop(DEFAULT_STOP_GRACE);
    }

    /** Closes the automerge-repo clients (1001) and the document storage; idempotent. */
    private void closeRepo() {
        RepoSyncServer running = repo;
        if (running != null) {
            running.close();
        }
    }

    private void stopQuietly() {
        state = State.STOPPED;
        SignalingInspection open = inspection;
        if (open != null) {
            inspection = null;
            open.close();
        }
        try {
            webSockets.stop(1000, "server stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeRepo();
        writeGuard.stop();
        keepAlive.stop();
        if (metricsHttp != null) {
            metricsHttp.stop();
        }
        hub.stop();
        if (cluster != null) {
            cluster.close();
        }
    }
}
