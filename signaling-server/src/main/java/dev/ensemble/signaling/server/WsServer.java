package dev.ensemble.signaling.server;

import dev.ensemble.collab.repo.server.RepoServerSession;
import dev.ensemble.collab.repo.server.RepoSyncServer;
import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.ErrorCode;
import dev.ensemble.signaling.protocol.Handshake;
import dev.ensemble.signaling.protocol.MalformedMessageException;
import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.signaling.protocol.SignalingCodec;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java-WebSocket adapter. Its callbacks run concurrently on the library's selector and worker
 * threads; each one only checks size, decodes, applies the connection's rate limits and hands the result
 * to the {@link Hub}, which owns all state.
 */
final class WsServer extends WebSocketServer {

    private static final Logger log = LoggerFactory.getLogger(WsServer.class);

    private final SignalingServerConfig config;
    private final ServerMetrics metrics;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private Hub hub;
    private WriteGuard writeGuard;
    /** Null when the automerge-repo endpoint is off. */
    private RepoSyncServer repo;

    WsServer(SignalingServerConfig config, ServerMetrics metrics) {
        super(new InetSocketAddress(config.host(), config.port()), drafts(config));
        this.config = config;
        this.metrics = metrics;
        setReuseAddr(true);
        setTcpNoDelay(true);
        // The library's check pings every connection in one burst; KeepAlive spreads the pings instead.
        setConnectionLostTimeout(0);
    }

    /** Signaling on every path but the automerge-repo one, which has a limit of its own (see {@link PathDraft}). */
    private static List<Draft> drafts(SignalingServerConfig config) {
        Draft signaling = new PathDraft(false, hardFrameLimit(config));
        if (config.automergeRepo() == null) {
            return List.of(signaling);
        }
        return List.of(signaling, new PathDraft(true, config.automergeRepo().maxMessageBytes()));
    }

    private static int hardFrameLimit(SignalingServerConfig config) {
        return (int) Math.min(
                Integer.MAX_VALUE, (long) config.maxFrameBytes() * SignalingServerConfig.HARD_FRAME_LIMIT_FACTOR);
    }

    /** Wires the collaborators; called once before {@link #start()}. */
    void bind(Hub hub, WriteGuard writeGuard, RepoSyncServer repo) {
        this.hub = hub;
        this.writeGuard = writeGuard;
        this.repo = repo;
    }

    CompletableFuture<Void> started() {
        return started;
    }

    @Override
    public void onStart() {
        started.complete(null);
    }

    @Override
    public void onOpen(WebSocket socket, ClientHandshake handshake) {
        Connection connection = new Connection(socket, config, metrics, writeGuard);
        if (repo != null && PathDraft.isAutomergeRepo(handshake.getResourceDescriptor())) {
            // Set before the attachment: the socket's next frames are read on this thread, after this call.
            connection.repo = repo.open(
                    new RepoLink(connection, repo.settings().maxQueuedBytes()),
                    PathDraft.token(handshake.getResourceDescriptor()));
            socket.setAttachment(connection);
            metrics.connectionOpened();
            return;
        }
        socket.setAttachment(connection);
        metrics.connectionOpened();
        hub.opened(connection);
    }

    @Override
    public void onMessage(WebSocket socket, String text) {
        long receivedNanos = System.nanoTime();
        Connection connection = socket.getAttachment();
        if (connection == null) {
            return;
        }
        RepoServerSession session = connection.repo;
        if (session != null) {
            metrics.received("automerge-repo-invalid", text.length());
            session.refuse(
                    CloseFrame.REFUSE,
                    "automerge-repo messages are binary frames holding one CBOR map; a text frame is not one");
            return;
        }
        int bytes = Connection.utf8Length(text);
        if (bytes > config.maxFrameBytes()) {
            metrics.received("too-large", bytes);
            if (allow(connection, connection.controlBucket, "control", config.controlRate())) {
                hub.rejected(
                        connection,
                        ErrorCode.TOO_LARGE,
                        "text frame of " + bytes + " bytes is larger than the " + config.maxFrameBytes()
                                + "-byte limit; it was dropped",
                        false);
            }
            return;
        }
        ClientMessage message;
        try {
            message = SignalingCodec.decodeClientMessage(text);
        } catch (MalformedMessageException e) {
            metrics.received("invalid", bytes);
            if (allow(connection, connection.controlBucket, "control", config.controlRate())) {
                hub.rejected(connection, ErrorCode.BAD_REQUEST, e.getMessage(), false);
            }
            return;
        }
        metrics.received(message.type(), bytes);
        // A revoke costs the room thread a signature check, and a new one a check of the room's members: it is
        // limited like a signal, so that the control budget stays for joins and leaves.
        boolean isSignal = message instanceof ClientMessage.Signal || message instanceof ClientMessage.Revoke;
        if (!allow(
                connection,
                isSignal ? connection.signalBucket : connection.controlBucket,
                isSignal ? "signal" : "control",
                isSignal ? config.signalRate() : config.controlRate())) {
            return;
        }
        if (message instanceof ClientMessage.Hello hello) {
            // Verified here, on one of the library's threads, so that the room thread does not wait the
            // millisecond or two an Ed25519 verification takes (the JDK's) for each connecting peer.
            hub.hello(connection, hello, Handshake.verify(hello, connection.nonce), receivedNanos);
        } else {
            hub.message(connection, message, receivedNanos);
        }
    }

    @Override
    public void onMessage(WebSocket socket, ByteBuffer data) {
        long receivedNanos = System.nanoTime();
        Connection connection = socket.getAttachment();
        if (connection == null) {
            return;
        }
        RepoServerSession session = connection.repo;
        if (session != null) {
            // The frame limit of the automerge-repo path was checked by its PathDraft before the frame was read.
            byte[] frame = new byte[data.remaining()];
            data.get(frame);
            metrics.received("automerge-repo", frame.length);
            session.received(frame);
            return;
        }
        int bytes = data.remaining();
        if (bytes > config.maxFrameBytes()) {
            metrics.received("too-large", bytes);
            if (allow(connection, connection.relayBucket, "relay", config.relayRate())) {
                hub.rejected(
                        connection,
                        ErrorCode.TOO_LARGE,
                        "binary frame of " + bytes + " bytes is larger than the " + config.maxFrameBytes()
                                + "-byte limit; it was dropped",
                        false);
            }
            return;
        }
        metrics.received("relay", bytes);
        if (!allow(connection, connection.relayBucket, "relay", config.relayRate())) {
            return;
        }
        byte[] raw = new byte[bytes];
        data.get(raw);
        RelayFrame frame;
        try {
            frame = RelayFrame.decode(ByteBuffer.wrap(raw));
        } catch (MalformedMessageException e) {
            hub.rejected(connection, ErrorCode.BAD_REQUEST, e.getMessage(), false);
            return;
        }
        hub.relay(connection, frame, raw, receivedNanos);
    }

    /**
     * Applies a rate limit. The first message dropped in a streak gets a {@code rate-limited} error; the
     * rest of the streak is dropped silently (so a flood cannot make the server flood back). A connection
     * with more than the flood threshold of drops within {@link SignalingServerConfig#FLOOD_WINDOW} is closed.
     */
    private boolean allow(Connection connection, TokenBucket bucket, String kind, RateLimit limit) {
        long nowNanos = config.rateClock().getAsLong();
        if (bucket.tryAcquire(nowNanos)) {
            connection.dropStreak.set(0);
            return true;
        }
        int streak = connection.dropStreak.incrementAndGet();
        int inWindow = connection.countDrop(nowNanos);
        if (inWindow == config.floodDisconnectThreshold()) {
            hub.rejected(
                    connection,
                    ErrorCode.RATE_LIMITED,
                    inWindow + " messages over the rate limits within " + SignalingServerConfig.FLOOD_WINDOW.toSeconds()
                            + " s (last: " + kind + "); disconnecting",
                    true);
        } else if (streak == 1) {
            hub.rejected(
                    connection,
                    ErrorCode.RATE_LIMITED,
                    kind + " messages are limited to " + limit.perSecond() + "/s (burst " + limit.burst()
                            + "); dropped until you slow down",
                    false);
        } else {
            metrics.error(ErrorCode.RATE_LIMITED.code());
        }
        return false;
    }

    /**
     * Called by the library, on the thread that read the frame, just before it sends its close frame.
     * For a frame over the hard limit it sends a {@code too-large} error first, so that a client that
     * reads on learns why the connection ends. (A client that is still writing the oversized frame may
     * see the connection reset before it reads either; clients of this project keep within the limit
     * the {@code welcome} announces.)
     */
    @Override
    public void onCloseInitiated(WebSocket socket, int code, String reason) {
        Connection connection = socket.getAttachment();
        if (code != CloseFrame.TOOBIG || connection == null) {
            return;
        }
        if (connection.repo != null) {
            connection.repo.refuse(
                    CloseFrame.TOOBIG,
                    "a message over this server's limit of " + repo.settings().maxMessageBytes()
                            + " bytes is not read; the connection is closed");
            return;
        }
        connection.send(ServerMessage.Error.of(
                ErrorCode.TOO_LARGE,
                "a frame over the hard limit of " + hardFrameLimit(config) + " bytes ("
                        + SignalingServerConfig.HARD_FRAME_LIMIT_FACTOR
                        + " times the frame limit) is not even read: the connection is closed with 1009; keep frames"
                        + " within the frame limit of " + config.maxFrameBytes() + " bytes that welcome announced"));
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason, boolean remote) {
        Connection connection = socket.getAttachment();
        if (code == CloseFrame.TOOBIG) {
            metrics.error(ErrorCode.TOO_LARGE.code());
            log.info(
                    "{}: closed for a frame over the hard limit of {} bytes",
                    connection == null ? socket : connection.describe(),
                    hardFrameLimit(config));
        }
        if (connection != null && connection.repo != null) {
            connection.repo.closed();
        } else if (connection != null) {
            hub.closed(connection, code, reason);
        }
    }

    @Override
    public void onWebsocketPong(WebSocket socket, Framedata frame) {
        Connection connection = socket.getAttachment();
        if (connection != null) {
            connection.lastPongNanos = System.nanoTime();
        }
    }

    @Override
    public void onError(WebSocket socket, Exception error) {
        if (socket == null) {
            if (!started.completeExceptionally(error)) {
                log.error("signaling server failed", error);
            }
            return;
        }
        Connection connection = socket.getAttachment();
        log.info(
                "{}: {}",
                connection == null ? socket.getRemoteSocketAddress() : connection.describe(),
                error.toString());
    }
}
