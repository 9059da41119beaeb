package dev.ensemble.transport.ws.direct;

import org.java_websocket.WebSocketImpl;

/**
 * INTERNAL API. Where the Java-WebSocket adapters ({@link DirectServer}, {@link DirectClient}) hand
 * their callbacks; the implementation only enqueues each onto the transport's owner thread.
 */
interface Events {
    /** A TCP connection was accepted; its WebSocket upgrade is not read yet. */
    void accepted(WebSocketImpl socket);

    /** The socket's upgrade was parsed, or the socket closed before it: its upgrade timer is moot. */
    void upgradeEnded(WebSocketImpl socket);

    void opened(Connection connection);

    void binary(Connection connection, byte[] bytes);

    void text(Connection connection, String text);

    void closed(Connection connection, int code, String reason, boolean remote);

    void failed(Connection connection, Exception error);
}
