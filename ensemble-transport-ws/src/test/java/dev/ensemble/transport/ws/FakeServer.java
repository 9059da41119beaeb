package dev.ensemble.transport.ws;

import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.MalformedMessageException;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.signaling.protocol.SignalingCodec;
import dev.ensemble.transport.PeerId;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A scripted stand-in for the signaling server on 127.0.0.1, to send a transport what a broken
 * or hostile server might: it answers the handshake and joins as told, then sends whatever the
 * test writes to {@link #latest()}.
 */
final class FakeServer extends WebSocketServer implements AutoCloseable {
    /** How the fake answers a connection. */
    enum Script {
        HONEST,
        SILENT,
        WELCOMES_SOMEONE_ELSE,
        /** Welcomes {@code someoneElse} on open, with no challenge and so no hello. */
        WELCOMES_WITHOUT_CHALLENGE,
        /** Challenges with a nonce of 300 characters, longer than any token made from it may bind. */
        CHALLENGES_WITH_A_LONG_NONCE
    }

    final AtomicInteger connections = new AtomicInteger();
    final BlockingQueue<WebSocket> joinedConnections = new LinkedBlockingQueue<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final Script script;
    private final List<PeerId> members;
    private final PeerId someoneElse;

    FakeServer(Script script, List<PeerId> members, PeerId someoneElse) throws InterruptedException {
        super(new InetSocketAddress("127.0.0.1", 0));
        this.script = script;
        this.members = members;
        this.someoneElse = someoneElse;
        setReuseAddr(true);
        start();
        if (!started.await(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the fake server did not start listening within 20 s");
        }
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + getPort() + "/");
    }

    /** The connection that last joined, waiting for it if needed. */
    WebSocket latest() throws InterruptedException {
        WebSocket connection = joinedConnections.poll(20, TimeUnit.SECONDS);
        if (connection == null) {
            throw new AssertionError("no transport joined the fake server");
        }
        return connection;
    }

    /** Sends a text frame and makes sure it leaves (see {@link #flush}). */
    void push(WebSocket connection, String text) {
        connection.send(text);
        flush(this, connection);
    }

    /** Sends a binary frame and makes sure it leaves (see {@link #flush}). */
    void push(WebSocket connection, byte[] bytes) {
        connection.send(bytes);
        flush(this, connection);
    }

    /**
     * Java-WebSocket 1.6.0's server can drop the write demand of a frame sent from outside its
     * selector thread (its selector resets the interest to read-only after draining, racing the
     * sender), leaving the frame queued until an unrelated event. The real server guards against it
     * with its write guard; this fake asks for write again until the queue is empty, or until the
     * connection is gone: the client may close it at any moment (after an oversized frame it does
     * so at once), and then the key is cancelled between {@code isValid()} and {@code interestOps()}.
     */
    static void flush(WebSocketServer server, WebSocket connection) {
        WebSocketImpl impl = (WebSocketImpl) connection;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!impl.outQueue.isEmpty() && impl.isOpen() && System.nanoTime() < deadline) {
            SelectionKey key = impl.getSelectionKey();
            try {
                if (key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) == 0) {
                    server.onWriteDemand(connection);
                }
            } catch (CancelledKeyException closed) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        connections.incrementAndGet();
        if (script == Script.WELCOMES_WITHOUT_CHALLENGE) {
            push(conn, SignalingCodec.encode(new ServerMessage.Welcome(someoneElse, List.of())));
        } else if (script == Script.CHALLENGES_WITH_A_LONG_NONCE) {
            push(conn, SignalingCodec.encode(new ServerMessage.Challenge("n".repeat(300))));
        } else if (script != Script.SILENT) {
            push(conn, SignalingCodec.encode(new ServerMessage.Challenge("bm9uY2U=")));
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        ClientMessage decoded;
        try {
            decoded = SignalingCodec.decodeClientMessage(message);
        } catch (MalformedMessageException e) {
            throw new AssertionError("the transport sent a malformed message: " + message, e);
        }
        if (decoded instanceof ClientMessage.Hello hello) {
            PeerId welcomed = script == Script.WELCOMES_SOMEONE_ELSE ? someoneElse : hello.peerId();
            push(conn, SignalingCodec.encode(new ServerMessage.Welcome(welcomed, List.of())));
        } else if (decoded instanceof ClientMessage.Join join) {
            push(conn, SignalingCodec.encode(new ServerMessage.Joined(join.room(), members)));
            joinedConnections.add(conn);
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {}

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void close() throws InterruptedException {
        stop(1000);
    }
}
