package dev.ensemble.transport.ws.direct;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.enums.ReadyState;

/**
 * INTERNAL API. An accepted socket's channel that fails a read once more than {@link
 * DirectServer#MAX_UPGRADE_BYTES} arrived before the WebSocket upgrade completed: Java-WebSocket
 * keeps an incomplete upgrade in a buffer that grows with every read, so without this a stranger
 * streaming one endless header line would fill the heap before the handshake timeout. The library
 * closes the socket on the failed read. Used by the server's selector thread only.
 */
final class UpgradeLimitedChannel implements ByteChannel {
    private final SocketChannel channel;
    private final WebSocketImpl socket;
    private long readBeforeUpgrade;

    UpgradeLimitedChannel(SocketChannel channel, WebSocketImpl socket) {
        this.channel = channel;
        this.socket = socket;
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        int read = channel.read(destination);
        if (read > 0 && socket.getReadyState() == ReadyState.NOT_YET_CONNECTED) {
            readBeforeUpgrade += read;
            if (readBeforeUpgrade > DirectServer.MAX_UPGRADE_BYTES) {
                throw new IOException("more than " + DirectServer.MAX_UPGRADE_BYTES
                        + " bytes before the WebSocket upgrade completed; closed");
            }
        }
        return read;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        return channel.write(source);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
