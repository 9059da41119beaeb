package dev.ensemble.transport.ws;

import dev.ensemble.transport.BinarySocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BinarySocket}s over WebSocket (Java-WebSocket): one binary frame per message, text frames
 * ignored, pings answered by the library. Used, for example, to reach an automerge-repo sync
 * server. Immutable and thread-safe; each {@code connect} starts one connection on its own
 * Java-WebSocket thread, which calls the listener.
 *
 * <pre>{@code
 * BinarySocket.Connector sockets = WebSocketBinarySockets.create(Duration.ofSeconds(10), 64 << 20);
 * }</pre>
 */
public final class WebSocketBinarySockets implements BinarySocket.Connector {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketBinarySockets.class);

    private final Duration connectTimeout;
    private final int maxFrameBytes;

    private WebSocketBinarySockets(Duration connectTimeout, int maxFrameBytes) {
        this.connectTimeout = connectTimeout;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * @param connectTimeout how long the opening handshake may take
     * @param maxFrameBytes the largest frame received; a larger one closes the connection
     * @return the connector
     */
    public static WebSocketBinarySockets create(Duration connectTimeout, int maxFrameBytes) {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, but was " + connectTimeout);
        }
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be >= 1, but was " + maxFrameBytes);
        }
        return new WebSocketBinarySockets(connectTimeout, maxFrameBytes);
    }

    @Override
    public BinarySocket connect(URI uri, BinarySocket.Listener listener) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(listener, "listener");
        Client client = new Client(uri, listener);
        client.connect();
        return new BinarySocket() {
            @Override
            public boolean send(byte[] message) {
                return client.sendIfOpen(message);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /** One connection; Java-WebSocket calls its callbacks on the connection's read thread. */
    private final class Client extends WebSocketClient {
        private final BinarySocket.Listener listener;
        private final AtomicBoolean closedReported = new AtomicBoolean();

        Client(URI uri, BinarySocket.Listener listener) {
            super(uri, new Draft_6455(List.of(), maxFrameBytes), Map.of(), (int)
                    Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            this.listener = listener;
            setTcpNoDelay(true);
        }

        boolean sendIfOpen(byte[] message) {
            if (!isOpen()) {
                return false;
            }
            try {
                send(message);
                return true;
            } catch (RuntimeException e) {
                // Closed between the check and the send (WebsocketNotConnectedException).
                LOG.debug("{}: send failed: {}", getURI(), e.toString());
                return false;
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            listener.opened();
        }

        @Override
        public void onMessage(String message) {
            LOG.debug("{}: ignored a text frame of {} characters", getURI(), message.length());
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            listener.message(copy);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            reportClosed("closed by " + (remote ? "the server" : "us") + " with code " + code
                    + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")"));
        }

        @Override
        public void onError(Exception error) {
            // Java-WebSocket follows a failed connect with onClose; report the cause if it does not.
            LOG.debug("{}: {}", getURI(), error.toString());
            if (!isOpen() && getReadyState() != org.java_websocket.enums.ReadyState.OPEN) {
                reportClosed("connection failed: " + error);
            }
        }

        private void reportClosed(String reason) {
            if (closedReported.compareAndSet(false, true)) {
                listener.closed(reason);
            }
        }
    }
}
