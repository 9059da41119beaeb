package dev.ensemble.transport.ws.direct;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

/**
 * INTERNAL API. The listening side of a {@link DirectTransport}. Java-WebSocket calls these methods
 * concurrently on its selector and worker threads; each only attaches a {@link Connection} to a new
 * socket or hands the event to {@link Events}.
 */
final class DirectServer extends WebSocketServer {

    private final Events events;
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    DirectServer(InetSocketAddress address, int maxFrameBytes, Events events) {
        super(address, List.of(new Draft_6455(List.of(), maxFrameBytes)));
        this.events = events;
        setReuseAddr(true);
        setTcpNoDelay(true);
        setDaemon(true);
        // Every accepted socket is announced before its HTTP upgrade is read, so that one that never
        // completes the upgrade (garbage, or a socket left idle) is closed at the handshake timeout
        // instead of holding a connection forever: the library itself has no such limit.
        setWebSocketFactory(new DefaultWebSocketServerFactory() {
            @Override
            public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
                return announced(super.createWebSocket(adapter, draft));
            }

            @Override
            public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
                return announced(super.createWebSocket(adapter, drafts));
            }
        });
    }

    private WebSocketImpl announced(WebSocketImpl socket) {
        events.accepted(socket);
        return socket;
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
        InetSocketAddress remote = socket.getRemoteSocketAddress();
        Connection connection = new Connection(socket, null, remote == null ? "?" : remote.toString());
        socket.setAttachment(connection);
        events.opened(connection);
    }

    @Override
    public void onMessage(WebSocket socket, String message) {
        Connection connection = socket.getAttachment();
        if (connection != null) {
            events.text(connection, message);
        }
    }

    @Override
    public void onMessage(WebSocket socket, ByteBuffer message) {
        Connection connection = socket.getAttachment();
        if (connection != null) {
            byte[] copy = new byte[message.remaining()];
            message.get(copy);
            events.binary(connection, copy);
        }
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason, boolean remote) {
        Connection connection = socket.getAttachment();
        if (connection != null) {
            events.closed(connection, code, reason, remote);
        }
    }

    @Override
    public void onError(WebSocket socket, Exception error) {
        if (socket == null) {
            started.completeExceptionally(error);
            return;
        }
        Connection connection = socket.getAttachment();
        if (connection != null) {
            events.failed(connection, error);
        }
    }
}
