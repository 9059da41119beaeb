package dev.ensemble.transport.ws;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;

/**
 * One WebSocket connection attempt of a {@link WebSocketTransport}. Java-WebSocket calls these
 * methods on its own read thread; each only hands the event, tagged with this attempt's number,
 * to the transport's owner thread, so that the transport's state is touched by one thread and
 * events of an abandoned attempt are recognised and ignored. A new attempt is a new instance,
 * created by the owner; {@code reconnect()} is never used.
 */
final class WsClient extends WebSocketClient {

    /** Where the events of one connection attempt go; implemented on the owner's thread. */
    interface Events {
        void opened(WsClient client);

        void text(WsClient client, String text);

        void binary(WsClient client, byte[] bytes);

        void closed(WsClient client, int code, String reason, boolean remote);

        void failed(WsClient client, Exception error);
    }

    private final Events events;
    private final int attempt;

    WsClient(URI serverUri, int attempt, int maxFrameBytes, Duration connectTimeout, Events events) {
        super(serverUri, new Draft_6455(List.of(), maxFrameBytes), Map.of(), (int)
                Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        this.attempt = attempt;
        this.events = events;
        setTcpNoDelay(true);
    }

    /** The number of the connection attempt, for logs. */
    int attempt() {
        return attempt;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        events.opened(this);
    }

    @Override
    public void onMessage(String message) {
        events.text(this, message);
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        events.binary(this, copy);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        events.closed(this, code, reason, remote);
    }

    @Override
    public void onError(Exception error) {
        events.failed(this, error);
    }
}
