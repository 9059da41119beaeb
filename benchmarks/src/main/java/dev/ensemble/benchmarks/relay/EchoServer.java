package dev.ensemble.benchmarks.relay;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The comparator: the least a Java-WebSocket 1.6.0 server does to move a binary frame, with the same
 * socket options as the signaling server (TCP_NODELAY, default decoder threads) and a
 * {@link StuckWriteGuard} like its write guard.
 *
 * <ul>
 *   <li>Path {@value #ECHO_PATH}: every binary frame is sent back to its sender.</li>
 *   <li>Path {@value #FORWARD_PATH}: every binary frame is sent to the other connection on that
 *       path (two clients bounce frames through the server, as two peers do through the relay).</li>
 * </ul>
 *
 * <p>Threading: callbacks run on the library's threads; {@link #forwarding} is a copy-on-write list
 * that they share.
 */
final class EchoServer extends WebSocketServer {

    static final String ECHO_PATH = "/echo";
    static final String FORWARD_PATH = "/forward";

    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final List<WebSocket> forwarding = new CopyOnWriteArrayList<>();
    private final StuckWriteGuard guard;

    EchoServer(Duration guardInterval) {
        super(new InetSocketAddress("127.0.0.1", 0));
        setReuseAddr(true);
        setTcpNoDelay(true);
        this.guard = new StuckWriteGuard(this, guardInterval);
    }

    /** Starts and waits until the port is bound. */
    EchoServer startAndWait(Duration timeout) throws Exception {
        start();
        started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        guard.start();
        return this;
    }

    /** Stops the server and its guard. */
    void shutDown() throws InterruptedException {
        guard.stop();
        stop(1000);
    }

    long guardRearms() {
        return guard.rearms();
    }

    @Override
    public void onStart() {
        started.complete(null);
    }

    @Override
    public void onOpen(WebSocket socket, ClientHandshake handshake) {
        if (FORWARD_PATH.equals(handshake.getResourceDescriptor())) {
            forwarding.add(socket);
        }
    }

    @Override
    public void onMessage(WebSocket socket, ByteBuffer frame) {
        WebSocket target = socket;
        if (forwarding.contains(socket)) {
            target = null;
            for (WebSocket other : forwarding) {
                if (other != socket) {
                    target = other;
                }
            }
            if (target == null) {
                return;
            }
        }
        try {
            target.send(frame);
        } catch (WebsocketNotConnectedException e) {
            return;
        }
        guard.wrote();
    }

    @Override
    public void onMessage(WebSocket socket, String text) {
        socket.send(text);
        guard.wrote();
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason, boolean remote) {
        forwarding.remove(socket);
    }

    @Override
    public void onError(WebSocket socket, Exception error) {
        if (socket == null) {
            started.completeExceptionally(error);
        }
    }
}
