package dev.ensemble.transport.ws.direct;

import dev.ensemble.transport.OwnerThread;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import java.net.InetSocketAddress;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The listening side of a {@link DirectTransport}: binds and stops its {@link
 * DirectServer}, closes accepted sockets that do not complete their WebSocket upgrade within the
 * handshake timeout, and guards writes on accepted connections (see {@link #rearmLater}). {@link
 * #listen} and {@link #stop} run on the caller's thread; {@link #rearmLater} on any; the rest on the
 * owner thread.
 */
final class Acceptor {
    private static final Logger log = LoggerFactory.getLogger(Acceptor.class);

    private static final Duration START_WAIT = Duration.ofSeconds(10);
    private static final Duration REARM_DELAY = Duration.ofMillis(2);

    private final DirectTransportConfig config;
    private final OwnerThread owner;
    private final Events events;
    private final BooleanSupplier running;
    private final Consumer<String> protocolError;

    private volatile DirectServer server;
    /** The upgrade timer of each accepted socket whose WebSocket upgrade is not done; owner thread. */
    private final Map<WebSocketImpl, Future<?>> upgradeTimers = new HashMap<>();

    /**
     * @param running whether the transport runs; a late upgrade timer does nothing once it does not
     * @param protocolError reports (on the owner thread) a socket closed for never upgrading
     */
    Acceptor(
            DirectTransportConfig config,
            OwnerThread owner,
            Events events,
            BooleanSupplier running,
            Consumer<String> protocolError) {
        this.config = config;
        this.owner = owner;
        this.events = events;
        this.running = running;
        this.protocolError = protocolError;
    }

    /**
     * Binds the port and returns once the server accepts.
     *
     * @throws TransportException {@code CONNECT_FAILED} naming the address and why, with nothing left bound
     */
    void listen(String host, int port) {
        DirectServer created = new DirectServer(
                new InetSocketAddress(host, port),
                config.maxMessageSize(),
                config.maxPendingHandshakes(),
                config.maxPendingHandshakesPerAddress(),
                events);
        created.start();
        try {
            created.started().get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            try {
                created.stop(0);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
            throw new TransportException(
                    Reason.CONNECT_FAILED,
                    "the direct transport cannot listen on " + host + ":" + port + ": " + cause,
                    cause);
        }
        server = created;
        log.info("node {} listens on {}:{}", config.identity().peerId(), host, created.getPort());
    }

    /** The bound server, or null before {@link #listen} succeeded. Thread-safe. */
    DirectServer server() {
        return server;
    }

    /** Stops the server, if one is bound, waiting up to {@code wait} for its sockets to close. */
    void stop(Duration wait) {
        DirectServer current = server;
        if (current == null) {
            return;
        }
        try {
            current.stop((int) wait.toMillis(), "node shutting down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A TCP connection was accepted: it has the handshake timeout to complete its upgrade. */
    void accepted(WebSocketImpl socket) {
        upgradeTimers.put(socket, owner.schedule(config.handshakeTimeout(), () -> upgradeTimedOut(socket)));
    }

    /**
     * The socket's upgrade is done (or it closed before): its timer is cancelled, and so dropped by
     * the owner's scheduler, at once. A timer kept for the whole handshake timeout would hold each
     * closed socket, and a stranger who connects and closes in a loop would pile them up in the heap.
     */
    void upgradeEnded(WebSocketImpl socket) {
        Future<?> timer = upgradeTimers.remove(socket);
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** The number of accepted sockets whose upgrade timer still runs. */
    int upgradeTimers() {
        return upgradeTimers.size();
    }

    /** Cancels every upgrade timer. */
    void shutDown() {
        upgradeTimers.values().forEach(timer -> timer.cancel(false));
        upgradeTimers.clear();
    }

    private void upgradeTimedOut(WebSocketImpl socket) {
        upgradeTimers.remove(socket);
        if (socket.getReadyState() != ReadyState.NOT_YET_CONNECTED || !running.getAsBoolean()) {
            return;
        }
        InetSocketAddress remote = socket.getRemoteSocketAddress();
        protocolError.accept("a connection from " + remote + " did not complete a WebSocket upgrade within "
                + config.handshakeTimeout() + " (not a WebSocket client, or idle); closed");
        socket.closeConnection(CloseFrame.PROTOCOL_ERROR, "no WebSocket upgrade within " + config.handshakeTimeout());
    }

    // ---- the write guard for accepted connections ----

    /**
     * Asks the owner thread to look at an accepted connection's out-queue soon, so that a frame the
     * selector left unwritten (its write interest lost to a race) is written. Cheap: at most one look
     * is pending per connection. Thread-safe.
     */
    void rearmLater(Connection connection) {
        if (connection.rearmPending.compareAndSet(false, true)) {
            owner.schedule(REARM_DELAY, () -> rearm(connection));
        }
    }

    private void rearm(Connection connection) {
        // Cleared before the look, so that a send after it asks for another look.
        connection.rearmPending.set(false);
        WebSocketImpl impl = connection.impl();
        DirectServer current = server;
        if (impl == null || current == null || impl.isClosed() || impl.outQueue.isEmpty()) {
            return;
        }
        SelectionKey key = impl.getSelectionKey();
        try {
            if (key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) == 0) {
                current.onWriteDemand(impl);
            }
        } catch (CancelledKeyException e) {
            return;
        }
        rearmLater(connection); // frames still wait: look again
    }
}
