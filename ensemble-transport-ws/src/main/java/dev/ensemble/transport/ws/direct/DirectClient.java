package dev.ensemble.transport.ws.direct;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;

/**
 * INTERNAL API. One attempt to dial a node. Java-WebSocket calls these methods on its read thread;
 * each only hands the event to {@link Events}. A new attempt is a new instance; {@code reconnect()}
 * is never used.
 */
final class DirectClient extends WebSocketClient {

    private final Events events;
    final Connection connection;

    DirectClient(URI uri, DialState dial, int maxFrameBytes, Duration connectTimeout, Events events) {
        super(uri, new Draft_6455(List.of(), maxFrameBytes), Map.of(), (int)
                Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        this.events = events;
        this.connection = new Connection(this, dial, uri.toString(), null);
        setTcpNoDelay(true);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        events.opened(connection);
    }

    @Override
    public void onMessage(String message) {
        events.text(connection, message);
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        events.binary(connection, copy);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        events.closed(connection, code, reason, remote);
    }

    @Override
    public void onError(Exception error) {
        events.failed(connection, error);
    }
}
