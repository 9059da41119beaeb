package dev.ensemble.signaling.server;

import dev.ensemble.signaling.protocol.Handshake;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.signaling.protocol.SignalingCodec;
import dev.ensemble.transport.PeerId;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;

/**
 * The server's side of one WebSocket connection.
 *
 * <p>Ownership: the rate buckets and the drop streak are used by the connection's WebSocket callback
 * thread (and are thread-safe anyway); {@link #nonce} is final; the session fields ({@link #peer}, {@link #rooms},
 * {@link #handshakeTimer}, {@link #closing}) belong to the room thread and are written nowhere else.
 * {@link #send} and {@link #sendRelay} may be called from any thread.
 */
final class Connection {

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    final int id = IDS.incrementAndGet();
    final WebSocket socket;
    final TokenBucket controlBucket;
    final TokenBucket signalBucket;
    final TokenBucket relayBucket;
    /** Rate-limited messages in a row; reset by any accepted message. Decides when to send the error. */
    final AtomicInteger dropStreak = new AtomicInteger();
    /** Guarded by {@code this}: start of the current flood window and drops counted in it. */
    private long floodWindowStartNanos = Long.MIN_VALUE;

    private int floodWindowDrops;

    private final ServerMetrics metrics;
    private final WriteGuard writeGuard;

    /**
     * The nonce of the challenge sent on open. Final, so that the WebSocket thread that verifies the
     * {@code hello} sees it without a lock.
     */
    final String nonce = Handshake.newNonce(RANDOM);
    /**
     * Written by the room thread only: the verified identity, null until {@code welcome}. Volatile because
     * log lines on WebSocket threads read it through {@link #describe()}.
     */
    volatile PeerId peer;
    /** Room thread only: rooms this connection is in, in join order. */
    final Set<String> rooms = new LinkedHashSet<>();
    /**
     * Room thread only: for each room in {@link #rooms}, when it was joined and what this connection relayed
     * into it (read by the inspection snapshot, on the room thread too).
     */
    final Map<String, RoomStay> stays = new HashMap<>();
    /** When the connection opened (for the inspection namespace). */
    final Instant openedAt;
    /** Room thread only: closes the connection if the handshake does not complete in time. */
    Future<?> handshakeTimer;
    /**
     * When the last pong arrived (at first: when the connection opened). Written by the WebSocket thread,
     * read by the {@link KeepAlive} thread.
     */
    volatile long lastPongNanos = System.nanoTime();
    /**
     * The automerge-repo session when this connection came in on {@link SignalingServerConfig#AUTOMERGE_REPO_PATH};
     * null for signaling. Set once in {@code onOpen}, before any message of the connection is read.
     */
    volatile dev.ensemble.collab.repo.server.RepoServerSession repo;
    /** Room thread only: the server decided to close this connection; ignore its further input. */
    boolean closing;

    Connection(WebSocket socket, SignalingServerConfig config, ServerMetrics metrics, WriteGuard writeGuard) {
        this.socket = socket;
        this.metrics = metrics;
        this.writeGuard = writeGuard;
        long now = config.rateClock().getAsLong();
        this.controlBucket = new TokenBucket(config.controlRate(), now);
        this.signalBucket = new TokenBucket(config.signalRate(), now);
        this.relayBucket = new TokenBucket(config.relayRate(), now);
        this.openedAt = config.clock().instant();
    }

    /** Room thread only: one room's stay of this connection. */
    static final class RoomStay {
        final Instant joinedAt;
        /**
         * The token the join carried (null if none): a new revocation makes the server ask the join authorizer
         * again with it, and with {@link #nonce}, whether this member may stay.
         */
        final String token;

        long framesRelayed;
        long bytesRelayed;

        RoomStay(Instant joinedAt, String token) {
            this.joinedAt = joinedAt;
            this.token = token;
        }
    }

    /**
     * Counts one rate-limited message and returns how many were dropped in the current window of
     * {@link SignalingServerConfig#FLOOD_WINDOW}. Any thread.
     */
    synchronized int countDrop(long nowNanos) {
        if (floodWindowStartNanos == Long.MIN_VALUE
                || nowNanos - floodWindowStartNanos > SignalingServerConfig.FLOOD_WINDOW.toNanos()) {
            floodWindowStartNanos = nowNanos;
            floodWindowDrops = 0;
        }
        return ++floodWindowDrops;
    }

    /** Sends a control message; false if the connection is already closed. Any thread. */
    boolean send(ServerMessage message) {
        String text = SignalingCodec.encode(message);
        try {
            socket.send(text);
        } catch (WebsocketNotConnectedException e) {
            return false;
        }
        writeGuard.wrote(socket);
        metrics.sent(message.type(), utf8Length(text));
        return true;
    }

    /**
     * Sends a control message another node already encoded (a relayed {@code signal}), unchanged; false if
     * the connection is already closed. Any thread.
     */
    boolean sendEncoded(String text, String type) {
        try {
            socket.send(text);
        } catch (WebsocketNotConnectedException e) {
            return false;
        }
        writeGuard.wrote(socket);
        metrics.sent(type, utf8Length(text));
        return true;
    }

    /** Sends a relay frame; false if the connection is already closed. Any thread. */
    boolean sendRelay(byte[] frame) {
        try {
            socket.send(frame);
        } catch (WebsocketNotConnectedException e) {
            return false;
        }
        writeGuard.wrote(socket);
        metrics.sent("relay", frame.length);
        return true;
    }

    /** Sends a binary message of another protocol (automerge-repo); false if the connection is already closed. Any thread. */
    boolean sendBinary(byte[] frame, String type) {
        try {
            socket.send(frame);
        } catch (WebsocketNotConnectedException e) {
            return false;
        }
        writeGuard.wrote(socket);
        metrics.sent(type, frame.length);
        return true;
    }

    /** Sends a WebSocket ping (keep-alive). Any thread. */
    void ping() {
        try {
            socket.sendPing();
        } catch (WebsocketNotConnectedException e) {
            return;
        }
        writeGuard.wrote(socket);
    }

    /** Starts the WebSocket close handshake. Any thread. */
    void close(int code, String reason) {
        socket.close(code, reason);
        writeGuard.wrote(socket);
    }

    /** For log lines: the connection number, the peer once known, and the remote address. */
    String describe() {
        PeerId known = peer;
        return "connection #" + id + (known == null ? "" : " peer " + known) + " from "
                + socket.getRemoteSocketAddress();
    }

    /** Size of {@code text} in UTF-8, without encoding it. */
    static int utf8Length(String text) {
        int length = text.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                // 2 bytes below U+0800, 3 above; a surrogate pair is 4 bytes, 2 per half.
                bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }
}
