package dev.ensemble.transport.ws.direct;

import dev.ensemble.transport.OwnerThread;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import dev.ensemble.transport.TransportListener;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport between nodes that can reach each other directly (servers in one network), with no
 * signaling server: a node listens on a WebSocket port, other nodes dial it, and each side of a
 * connection proves its {@code did:key} to the other before a byte of data flows. Every verified
 * peer, dialed or accepted, is a connected peer of the {@link Transport} SPI, so {@code RemoteActors}
 * (or PeerMessaging) runs over it unchanged. The wire is in {@code docs/PROTOCOL.md}, "Direct
 * connection".
 *
 * <pre>{@code
 * // node B listens
 * DirectTransport b = DirectTransport.create(DirectTransportConfig.builder(identityB)
 *     .listen("0.0.0.0", 7400).build());
 * // node A dials B and accepts only B's key there
 * DirectTransport a = DirectTransport.create(DirectTransportConfig.builder(identityA)
 *     .dial(URI.create("ws://10.0.0.7:7400/"), identityB.peerId()).build());
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *   NEW ──start──► STARTED ──close()──► CLOSED
 *
 *   each connection:  open ──hello ⇄ hello──► proof ⇄ proof ──verified──► peer connected
 *                       │                                                     │
 *                       └── refused / timed out / closed ──► (dialed: again after backoff)
 * </pre>
 *
 * {@link #start} binds the listening port (if configured) before it returns and throws a {@link
 * TransportException} ({@code CONNECT_FAILED}) when it cannot; dials start at once and are repeated
 * with the configured backoff whenever an attempt fails or an established connection is lost, until
 * the transport is closed. {@link #close} may run before, during or after {@code start}, from any
 * thread: once both have returned no port is bound, no connection is open and none of the
 * transport's threads runs; a {@code start} after {@code close} fails. A peer is reported connected when its proof verifies and disconnected
 * when its connection ends. A newer verified connection with the same node replaces the older one
 * (a node that restarted and dialed again): the older is closed (code 4409) and the peer is reported
 * disconnected and connected again. A dial whose connection was replaced so rests, and dials again
 * once the node is lost. Two nodes should therefore not dial each other at the same time:
 * let one listen and the other dial.
 *
 * <h2>Bad input</h2>
 *
 * Each failure below ends only the connection concerned (a verified peer's too: it is then reported
 * disconnected), is reported to {@link TransportListener#onError} naming the peer or address, and tells the other side why in the close
 * frame: a frame that is not a hello or proof before the handshake ends, or a text frame at any time
 * ({@code PROTOCOL_ERROR}, 4400); a proof that does not verify ({@code AUTHENTICATION_FAILED}, 4401);
 * a dialed node that proves another key than the one expected ({@code HANDSHAKE_FAILED}, 4403); a
 * peer that does not finish the handshake within the timeout ({@code HANDSHAKE_FAILED}, 4408); a
 * frame larger than {@link DirectTransportConfig#maxMessageSize()} ({@code TOO_LARGE}, 1009, closed
 * by the library before the frame is read); more connections in the handshake than allowed, in all or from the connection's IP address
 * ({@link DirectTransportConfig#maxPendingHandshakesPerAddress()}), 1013.
 * Bytes that are not a WebSocket upgrade are refused by the library before any of this. Before the
 * upgrade, a TCP connection beyond {@link DirectTransportConfig#maxPendingHandshakes()} not yet
 * upgraded ones, or one that sends more than 16 KiB without completing its upgrade, is closed at
 * once with no close frame and only a debug log line (its rate is the stranger's to choose); one
 * beyond {@link DirectTransportConfig#maxPendingHandshakesPerAddress()} not yet upgraded ones from
 * its address is answered {@code HTTP/1.1 503} and closed, so that one address cannot starve others.
 *
 * <h2>Send queue</h2>
 *
 * {@link #send} writes the message to the peer's socket queue at once; it returns {@code false} when
 * the peer is not connected, the message is too large, or {@link
 * DirectTransportConfig#sendQueueCapacity()} messages wait unwritten for that peer. {@link
 * #queueSize} is the bytes still waiting. Java-WebSocket's server can leave a queued frame unwritten
 * until some other socket event (see ARCHITECTURE.md, "Java-WebSocket"): after a send on an accepted
 * connection, the owner thread looks again 2 ms later and asks the selector to write if frames still
 * wait without a write interest, and keeps looking while any wait.
 *
 * <h2>Threading</h2>
 *
 * One {@link OwnerThread} ({@code ensemble-direct-<peer>}) holds the connection and handshake state;
 * Java-WebSocket's callbacks only hand their event to it. Listener callbacks run on it, in order,
 * never overlapping. {@link #send}, {@link #queueSize}, {@link #dial}, {@link #port}, {@link
 * #connectedPeers} and {@link #close} are thread-safe; {@code send} never blocks; {@code close}
 * waits (up to a few seconds) for the sockets to close and a callback in progress to return.
 *
 * <h2>Inside</h2>
 *
 * This class holds the lifecycle, the table of open and verified connections, and what happens to a
 * connection as events arrive; each other idea is a package-private class with one job:
 *
 * <pre>
 *   Acceptor            binds and stops the DirectServer; upgrade timers; write guard of accepted sockets
 *     DirectServer        Java-WebSocket's server; limits before the WebSocket upgrade (in all, per address)
 *   Dialer              the nodes dialed: one attempt at a time, backoff, rest while replaced
 *     DirectClient        Java-WebSocket's client: one attempt
 *   HandshakeAdmission  which accepted connections may handshake (in all, per address)
 *   Handshaking         the handshake's steps: hello, proof, verified or refused (frames: DirectHandshake)
 *   Connection          one connection's socket and handshake state
 * </pre>
 */
public final class DirectTransport implements Transport, AutoCloseable {

    /** The name this transport reports: {@value}. */
    public static final String NAME = "direct";

    /** Close code: a frame that breaks the protocol (garbage before the handshake, a text frame). */
    public static final int CLOSE_PROTOCOL_ERROR = 4400;
    /** Close code: the peer's proof does not verify. */
    public static final int CLOSE_BAD_PROOF = 4401;
    /** Close code: a dialed node proved another key than the one expected. */
    public static final int CLOSE_WRONG_NODE = 4403;
    /** Close code: the handshake did not finish in time. */
    public static final int CLOSE_HANDSHAKE_TIMEOUT = 4408;
    /** Close code: a newer connection with the same node replaced this one. */
    public static final int CLOSE_REPLACED = 4409;

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** How long a connection this side closes may wait for the other side's close frame. */
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(2);
    /** The longest close reason a WebSocket close frame carries (125 bytes less the code). */
    private static final int MAX_CLOSE_REASON_BYTES = 123;

    private static final Logger log = LoggerFactory.getLogger(DirectTransport.class);

    private enum Lifecycle {
        NEW,
        STARTED,
        CLOSED
    }

    private final DirectTransportConfig config;
    private final PeerIdentity identity;
    private final PeerId self;
    private final OwnerThread owner;
    private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);
    /** Held by {@link #start} throughout, and by {@link #close} to stop the server a start bound. */
    private final Object startLock = new Object();

    private final Events events = new OwnerEvents();
    private final Handshaking handshaking;
    private final HandshakeAdmission admission;
    private final Acceptor acceptor;
    private final Dialer dialer;
    // Read by senders; written only by the owner thread.
    private final Map<PeerId, Connection> established = new ConcurrentHashMap<>();

    // Owned by the owner thread.
    private TransportListener listener = TransportListener.NONE;
    private final Set<Connection> open = new HashSet<>();

    private DirectTransport(DirectTransportConfig config) {
        this.config = config;
        this.identity = config.identity();
        this.self = identity.peerId();
        this.owner = OwnerThread.start(
                "ensemble-direct-" + self.shortForm(),
                bug -> report(Reason.INTERNAL_ERROR, null, "internal error in the direct transport: " + bug, bug));
        this.handshaking = new Handshaking(identity, new SecureRandom());
        this.admission = new HandshakeAdmission(config.maxPendingHandshakes(), config.maxPendingHandshakesPerAddress());
        this.acceptor = new Acceptor(
                config, owner, events, this::running, message -> report(Reason.PROTOCOL_ERROR, null, message, null));
        this.dialer = new Dialer(config, owner, events, this::running, this::attemptStarted);
    }

    /**
     * Creates a transport; nothing listens or dials until {@link #start}.
     *
     * @param config identity, listening address, nodes to dial and limits
     * @return a new transport
     */
    public static DirectTransport create(DirectTransportConfig config) {
        return new DirectTransport(Objects.requireNonNull(config, "config"));
    }

    /** Returns {@value #NAME}. Thread-safe. */
    @Override
    public String name() {
        return NAME;
    }

    /** Returns {@link DirectTransportConfig#maxMessageSize()}. Thread-safe. */
    @Override
    public int maxMessageSize() {
        return config.maxMessageSize();
    }

    /** Returns this node's id, the {@code did:key} of its identity. Thread-safe. */
    public PeerId self() {
        return self;
    }

    /** Returns the configuration. Thread-safe. */
    public DirectTransportConfig config() {
        return config;
    }

    /**
     * Returns the port this node listens on (the one chosen when the configuration said 0). Thread-safe.
     *
     * @return the bound port
     * @throws IllegalStateException if the transport does not listen or is not started
     */
    public int port() {
        DirectServer current = acceptor.server();
        if (current == null) {
            throw new IllegalStateException("this direct transport does not listen (configure listen(host, port)"
                    + " and start it) so it has no port");
        }
        return current.getPort();
    }

    /**
     * Returns the nodes connected now (verified, not yet lost). Thread-safe.
     *
     * @return a snapshot of the connected peers
     */
    public Set<PeerId> connectedPeers() {
        return Set.copyOf(established.keySet());
    }

    /**
     * Binds the listening port (if configured), then starts dialing the configured nodes. Call once.
     * Thread-safe against {@link #close}: a close that runs while this start binds the port waits for
     * it, then stops what it bound, so once both have returned nothing listens, dials or runs (this
     * start then returns normally; the transport is closed).
     *
     * @throws IllegalStateException if already started, or closed (a closed transport cannot start
     *     again; create a new one)
     * @throws TransportException {@code CONNECT_FAILED} if the port cannot be bound (the message names the
     *     address and why); the transport is then closed
     */
    @Override
    public void start(TransportListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (startLock) {
            if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.STARTED)) {
                throw new IllegalStateException(
                        lifecycle.get() == Lifecycle.CLOSED
                                ? "this DirectTransport (" + self + ") is closed; a closed transport cannot be started"
                                        + " again: create a new one"
                                : "a DirectTransport can be started once; this one (" + self + ") is started already");
            }
            owner.execute(() -> this.listener = listener);
            if (config.listenHost().isPresent()) {
                try {
                    acceptor.listen(config.listenHost().get(), config.listenPort());
                } catch (TransportException e) {
                    close();
                    throw e;
                }
            }
            for (DirectTransportConfig.Dial dial : config.dials()) {
                owner.execute(() -> dialer.add(dial));
            }
        }
    }

    /**
     * Dials another node now, and again whenever the connection is lost, until this transport is
     * closed. Thread-safe.
     *
     * @param uri the node's address, {@code ws://HOST:PORT/}
     * @param expected the node that must answer there, or {@code null} to accept any key it proves
     * @throws IllegalStateException if the transport is not started
     */
    public void dial(URI uri, PeerId expected) {
        DirectTransportConfig.Dial dial = new DirectTransportConfig.Dial(uri, Optional.ofNullable(expected));
        if (lifecycle.get() != Lifecycle.STARTED) {
            throw new IllegalStateException("dial " + uri + ": the transport is " + lifecycle.get()
                    + "; start it first (or list the node in the configuration)");
        }
        owner.execute(() -> dialer.add(dial));
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        if (to == null || message == null || message.length > config.maxMessageSize()) {
            return false;
        }
        Connection connection = established.get(to);
        if (connection == null || lifecycle.get() != Lifecycle.STARTED) {
            return false;
        }
        WebSocketImpl impl = connection.impl();
        if (impl == null || impl.outQueue.size() >= config.sendQueueCapacity()) {
            return false;
        }
        try {
            connection.socket.send(message);
        } catch (WebsocketNotConnectedException e) {
            return false;
        }
        if (!connection.dialed()) {
            acceptor.rearmLater(connection);
        }
        return true;
    }

    @Override
    public int queueSize(PeerId peer) {
        Connection connection = peer == null ? null : established.get(peer);
        WebSocketImpl impl = connection == null ? null : connection.impl();
        if (impl == null) {
            return 0;
        }
        long bytes = 0;
        for (ByteBuffer frame : impl.outQueue) {
            bytes += frame.remaining();
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    @Override
    public void close() {
        Lifecycle previous = lifecycle.getAndSet(Lifecycle.CLOSED);
        if (previous == Lifecycle.CLOSED) {
            return;
        }
        if (owner.inOwnerThread()) {
            shutDown(); // a listener callback closes its transport: at once, on this thread
            owner.close();
            stopServerOnceStarted();
            return;
        }
        owner.execute(this::shutDown);
        owner.close();
        try {
            if (!owner.awaitTermination(CLOSE_WAIT)) {
                log.warn(
                        "a listener callback did not return within {} while closing the direct transport ({});"
                                + " closing anyway",
                        CLOSE_WAIT,
                        self.shortForm());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopServerOnceStarted();
    }

    /**
     * Stops the listening server, after a {@link #start} that runs now has returned: a start racing
     * this close may still be binding the port, and a server it publishes after this close looked
     * would listen on forever. Start never waits for the owner thread, so a listener callback that
     * closes its transport cannot deadlock here.
     */
    private void stopServerOnceStarted() {
        synchronized (startLock) {
            acceptor.stop(CLOSE_WAIT);
        }
    }

    /** For tests: the number of accepted sockets whose upgrade timer still runs; waits for the owner. */
    int upgradeTimersForTest() throws Exception {
        java.util.concurrent.CompletableFuture<Integer> size = new java.util.concurrent.CompletableFuture<>();
        owner.execute(() -> size.complete(acceptor.upgradeTimers()));
        return size.get(10, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        DirectServer current = acceptor.server();
        return "DirectTransport[" + self.shortForm() + ", " + lifecycle.get()
                + (current == null ? "" : ", port " + current.getPort()) + ", " + established.size() + " peer(s)]";
    }

    // ---- everything below runs on the owner thread ----

    private void opened(Connection connection) {
        if (lifecycle.get() != Lifecycle.STARTED) {
            connection.socket.close(CloseFrame.GOING_AWAY, "node shutting down");
            return;
        }
        if (!connection.dialed()) {
            open.add(connection);
            String refusal = admission.admit(connection);
            if (refusal != null) {
                refuse(connection, CloseFrame.TRY_AGAIN_LATER, Reason.HANDSHAKE_FAILED, refusal);
                return;
            }
            connection.timer = owner.schedule(config.handshakeTimeout(), () -> timedOut(connection));
        }
        transmit(connection, handshaking.start(connection));
    }

    /** A dial's attempt is about to connect: tracked, and timed from now. */
    private void attemptStarted(Connection connection) {
        open.add(connection);
        connection.timer = owner.schedule(config.handshakeTimeout(), () -> timedOut(connection));
    }

    private void binary(Connection connection, byte[] bytes) {
        switch (connection.state) {
            case ESTABLISHED -> {
                if (established.get(connection.peer) == connection) {
                    PeerId from = connection.peer;
                    deliver(l -> l.onMessage(from, bytes));
                }
            }
            case HELLO_SENT -> step(connection, handshaking.onHello(connection, bytes));
            case PROOF_SENT -> step(connection, handshaking.onProof(connection, bytes));
            default -> {
                // CONNECTING cannot receive; CLOSED ignores what was still in flight.
            }
        }
    }

    private void step(Connection connection, Handshaking.Step step) {
        if (step instanceof Handshaking.Send send) {
            transmit(connection, send.frame());
        } else if (step instanceof Handshaking.Refuse refusal) {
            refuse(connection, refusal.code(), refusal.reason(), refusal.message());
        } else {
            establish(connection);
        }
    }

    private void establish(Connection connection) {
        connection.cancelTimer();
        releasePending(connection);
        connection.state = Connection.State.ESTABLISHED;
        dialer.verified(connection);
        PeerId peer = connection.peer;
        Connection older = established.put(peer, connection);
        if (older != null) {
            older.state = Connection.State.CLOSED;
            older.ended = true;
            closeWithin(older, CLOSE_REPLACED, "replaced by a newer connection with the same node");
            deliver(l -> l.onPeerDisconnected(peer, "replaced by a newer connection with the same node"));
            dialer.replaced(older, peer);
        }
        log.info(
                "connected to node {} ({}, {})",
                peer,
                connection.dialed() ? "dialed " + connection.where : "accepted from " + connection.where,
                self.shortForm());
        deliver(l -> l.onPeerConnected(peer));
    }

    private void text(Connection connection, String text) {
        if (connection.state == Connection.State.CLOSED) {
            return;
        }
        refuse(
                connection,
                CLOSE_PROTOCOL_ERROR,
                Reason.PROTOCOL_ERROR,
                "the " + connection + " sent a text frame of " + text.length()
                        + " characters; the direct connection carries binary frames only");
    }

    private void timedOut(Connection connection) {
        connection.timer = null;
        if (connection.state == Connection.State.ESTABLISHED || connection.state == Connection.State.CLOSED) {
            return;
        }
        refuse(
                connection,
                CLOSE_HANDSHAKE_TIMEOUT,
                Reason.HANDSHAKE_FAILED,
                "the " + connection + " did not finish the handshake within " + config.handshakeTimeout()
                        + " (stopped while " + connection.state + ")");
    }

    /** Ends a connection this side will not keep, says why to both the listener and the other side. */
    private void refuse(Connection connection, int code, Reason reason, String message) {
        Connection.State was = connection.state;
        connection.state = Connection.State.CLOSED;
        connection.ended = true;
        connection.cancelTimer();
        releasePending(connection);
        report(reason, connection.peer, message, null);
        closeWithin(connection, code, closeReason(message));
        if (was == Connection.State.ESTABLISHED && established.remove(connection.peer, connection)) {
            // Its close event will find it CLOSED and say nothing, so the peer is reported lost here.
            lost(connection.peer, message);
        }
        dialer.ended(connection);
    }

    private void closed(Connection connection, int code, String reason, boolean remote) {
        open.remove(connection);
        Connection.State was = connection.state;
        connection.state = Connection.State.CLOSED;
        connection.cancelTimer();
        releasePending(connection);
        String why = "connection " + connection + " closed by " + (remote ? "the other side" : "this side")
                + " with code " + code + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")");
        if (code == CloseFrame.TOOBIG) {
            // Said whether or not the handshake had finished here: a frame sent right after the other side's
            // last handshake frame can arrive in the same read, and Java-WebSocket then closes on the
            // oversized one before it hands over the handshake frame.
            why += remote
                    ? ": the other side refused a frame from this node as larger than its limit (keep maxMessageSize"
                            + " the same on every node)"
                    : ": a frame from the other side was larger than this node's limit of " + config.maxMessageSize()
                            + " bytes";
        }
        if (was == Connection.State.ESTABLISHED && established.remove(connection.peer, connection)) {
            PeerId peer = connection.peer;
            if (code == CloseFrame.TOOBIG) {
                report(Reason.TOO_LARGE, peer, why, null);
            }
            lost(peer, why);
        } else if (!connection.ended && lifecycle.get() == Lifecycle.STARTED) {
            Reason failure = code == CloseFrame.TOOBIG
                    ? Reason.TOO_LARGE
                    : was == Connection.State.CONNECTING ? Reason.CONNECT_FAILED : Reason.HANDSHAKE_FAILED;
            if (was != Connection.State.ESTABLISHED) {
                report(failure, connection.peer, why, null);
            }
        }
        connection.ended = true;
        dialer.ended(connection);
    }

    /**
     * Starts the closing handshake and ends the connection at {@link #CLOSE_DEADLINE} if the other
     * side has not answered by then. Java-WebSocket waits for the answering close frame (or a failed
     * write) before it lets the socket go; a peer that neither answers nor reads would otherwise hold
     * the socket until the library's connection-lost check (60 to 120 s), and a stranger refused at
     * any rate could so pile up sockets until the node runs out of file descriptors.
     */
    private void closeWithin(Connection connection, int code, String reason) {
        connection.socket.close(code, reason);
        owner.schedule(CLOSE_DEADLINE, () -> {
            if (!connection.socket.isClosed()) {
                log.debug(
                        "{} did not answer the close frame within {}; closing its socket ({})",
                        connection,
                        CLOSE_DEADLINE,
                        self.shortForm());
                connection.socket.closeConnection(
                        CloseFrame.ABNORMAL_CLOSE, "no answer to the close frame within " + CLOSE_DEADLINE);
            }
        });
    }

    /** A verified node's connection is gone: tells the listener, and wakes the dials that rested on it. */
    private void lost(PeerId peer, String why) {
        deliver(l -> l.onPeerDisconnected(peer, why));
        dialer.lost(peer);
    }

    private void failed(Connection connection, Exception error) {
        log.debug("WebSocket error on {} ({}): {}", connection, self.shortForm(), error.toString());
    }

    private void releasePending(Connection connection) {
        admission.release(connection);
    }

    private void transmit(Connection connection, byte[] frame) {
        try {
            connection.socket.send(frame);
        } catch (WebsocketNotConnectedException e) {
            log.debug("handshake frame dropped: {} is closing ({})", connection, self.shortForm());
            return;
        }
        if (!connection.dialed()) {
            acceptor.rearmLater(connection);
        }
    }

    private void shutDown() {
        dialer.shutDown();
        for (Connection connection : new ArrayList<>(open)) {
            connection.state = Connection.State.CLOSED;
            connection.ended = true;
            connection.cancelTimer();
            if (connection.dialed()) {
                connection.socket.close(CloseFrame.GOING_AWAY, "node shutting down");
            }
        }
        open.clear();
        acceptor.shutDown();
        established.clear();
        listener = TransportListener.NONE;
        log.debug("closed ({})", self.shortForm());
    }

    private void report(Reason reason, PeerId peer, String message, Throwable cause) {
        log.debug("{}: {} ({})", reason, message, self.shortForm());
        TransportException error = new TransportException(reason, null, peer, message, cause);
        deliver(l -> l.onError(error));
    }

    private boolean running() {
        return lifecycle.get() == Lifecycle.STARTED;
    }

    private void deliver(Consumer<TransportListener> event) {
        owner.checkOwnerThread("a TransportListener callback of the direct transport");
        if (lifecycle.get() != Lifecycle.STARTED) {
            return;
        }
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            log.warn("transport listener threw ({})", self.shortForm(), e);
        }
    }

    private static String closeReason(String message) {
        byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_CLOSE_REASON_BYTES) {
            return message;
        }
        // Cut on a character boundary: shorten the string until it fits.
        String cut = message;
        while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_CLOSE_REASON_BYTES - 3) {
            cut = cut.substring(0, cut.length() - Math.max(1, (cut.length() - MAX_CLOSE_REASON_BYTES) / 2));
        }
        return cut + "...";
    }

    /** Hands each Java-WebSocket callback to the owner thread. */
    private final class OwnerEvents implements Events {
        @Override
        public void accepted(WebSocketImpl socket) {
            owner.execute(() -> acceptor.accepted(socket));
        }

        @Override
        public void upgradeEnded(WebSocketImpl socket) {
            owner.execute(() -> acceptor.upgradeEnded(socket));
        }

        @Override
        public void opened(Connection connection) {
            enqueue(() -> DirectTransport.this.opened(connection), connection);
        }

        @Override
        public void binary(Connection connection, byte[] bytes) {
            enqueue(() -> DirectTransport.this.binary(connection, bytes), connection);
        }

        @Override
        public void text(Connection connection, String text) {
            enqueue(() -> DirectTransport.this.text(connection, text), connection);
        }

        @Override
        public void closed(Connection connection, int code, String reason, boolean remote) {
            enqueue(() -> DirectTransport.this.closed(connection, code, reason, remote), connection);
        }

        @Override
        public void failed(Connection connection, Exception error) {
            enqueue(() -> DirectTransport.this.failed(connection, error), connection);
        }

        private void enqueue(Runnable task, Connection connection) {
            if (!owner.execute(task)) {
                log.debug("event of {} after close ignored ({})", connection, self.shortForm());
            }
        }
    }
}
