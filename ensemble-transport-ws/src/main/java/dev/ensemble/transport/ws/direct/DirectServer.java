package dev.ensemble.transport.ws.direct;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The listening side of a {@link DirectTransport}. Java-WebSocket calls these methods
 * concurrently on its selector and worker threads; each only attaches a {@link Connection} to a new
 * socket or hands the event to {@link Events}.
 */
final class DirectServer extends WebSocketServer {

    /** The most bytes a socket may send before its WebSocket upgrade completes: {@value}. */
    static final int MAX_UPGRADE_BYTES = 16 * 1024;

    private static final Logger log = LoggerFactory.getLogger(DirectServer.class);

    /** The answer to a TCP connection refused before its upgrade for its address's limit. */
    private static final byte[] BUSY_RESPONSE = ("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
                    + "Content-Length: 0\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final Events events;
    private final int maxUpgrading;
    private final int maxUpgradingPerAddress;
    /**
     * Accepted sockets whose upgrade is not done, with the address each came from; added on the
     * selector thread only (so a check and the add that follows it cannot race), removed on any.
     */
    private final Map<WebSocket, InetAddress> upgrading = new ConcurrentHashMap<>();

    private final CompletableFuture<Void> started = new CompletableFuture<>();

    DirectServer(
            InetSocketAddress address, int maxFrameBytes, int maxUpgrading, int maxUpgradingPerAddress, Events events) {
        super(address, List.of(new Draft_6455(List.of(), maxFrameBytes)));
        this.events = events;
        this.maxUpgrading = maxUpgrading;
        this.maxUpgradingPerAddress = maxUpgradingPerAddress;
        setReuseAddr(true);
        setTcpNoDelay(true);
        setDaemon(true);
        setWebSocketFactory(new LimitingFactory());
    }

    /**
     * Java-WebSocket accepts every TCP connection and buffers its HTTP upgrade without bound; an
     * unauthenticated stranger could hold any number of sockets, or grow one upgrade buffer until the
     * heap is gone, for the whole handshake timeout. This factory refuses a socket beyond {@code
     * maxUpgrading} not yet upgraded ones (throwing from {@code wrapChannel} makes the library close
     * it), or beyond {@code maxUpgradingPerAddress} from its address (answered with a 503 first, so
     * that an honest client behind a busy address learns why), caps the bytes read before the
     * upgrade, and announces every socket it keeps so that one that never completes the upgrade is
     * closed at the handshake timeout.
     */
    private final class LimitingFactory implements WebSocketServerFactory {
        private final DefaultWebSocketServerFactory plain = new DefaultWebSocketServerFactory();

        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
            return plain.createWebSocket(adapter, draft);
        }

        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
            return plain.createWebSocket(adapter, drafts);
        }

        @Override
        public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
            WebSocketImpl socket = (WebSocketImpl) key.attachment();
            if (upgrading.size() >= maxUpgrading) {
                log.debug(
                        "refused a TCP connection from {}: {} connections have not finished their WebSocket upgrade"
                                + " (maxPendingHandshakes {})",
                        channel.socket().getRemoteSocketAddress(),
                        upgrading.size(),
                        maxUpgrading);
                throw new IOException("too many connections before the WebSocket upgrade");
            }
            InetAddress from = channel.socket().getInetAddress();
            int fromThere = countFrom(from);
            if (fromThere >= maxUpgradingPerAddress) {
                log.debug(
                        "refused a TCP connection from {}: {} connections from that address have not finished"
                                + " their WebSocket upgrade (maxPendingHandshakesPerAddress {})",
                        channel.socket().getRemoteSocketAddress(),
                        fromThere,
                        maxUpgradingPerAddress);
                // Best effort: a fresh socket's send buffer takes these few bytes at once.
                channel.write(ByteBuffer.wrap(BUSY_RESPONSE));
                throw new IOException("too many connections from " + from + " before the WebSocket upgrade");
            }
            upgrading.put(socket, from);
            events.accepted(socket);
            return new UpgradeLimitedChannel(channel, socket);
        }

        @Override
        public void close() {
            plain.close();
        }
    }

    /**
     * The upgrade is complete once the library has parsed it; it writes the 101 response before it
     * calls {@link #onOpen}, so the slot is freed here, or a client that connects again as soon as it
     * reads the 101 could find it still taken.
     */
    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
            WebSocket socket, Draft draft, ClientHandshake request) throws InvalidDataException {
        ServerHandshakeBuilder response = super.onWebsocketHandshakeReceivedAsServer(socket, draft, request);
        upgraded(socket);
        return response;
    }

    /** Sockets from {@code address} waiting for their upgrade; at most 64 entries to look at. */
    private int countFrom(InetAddress address) {
        int count = 0;
        for (InetAddress from : upgrading.values()) {
            if (from.equals(address)) {
                count++;
            }
        }
        return count;
    }

    /** Frees the socket's upgrade slot, once, and lets the transport cancel its upgrade timer. */
    private void upgraded(WebSocket socket) {
        if (upgrading.remove(socket) != null) {
            events.upgradeEnded((WebSocketImpl) socket);
        }
    }

    @Override
    protected boolean removeConnection(WebSocket socket) {
        upgraded(socket); // also a socket that closed before its upgrade (never opened)
        return super.removeConnection(socket);
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
        upgraded(socket); // from here the transport counts it as a pending handshake
        InetSocketAddress remote = socket.getRemoteSocketAddress();
        Connection connection = new Connection(
                socket, null, remote == null ? "?" : remote.toString(), remote == null ? null : remote.getAddress());
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
