package dev.ensemble.signaling.server;

import dev.ensemble.collab.repo.server.RepoPeerLink;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.java_websocket.WebSocketImpl;

/**
 * The socket of one automerge-repo client, as the sync server engine ({@code RepoSyncServer} in
 * ensemble-collab) sees it. Sends go through the {@link Connection}, so the write guard and the
 * metrics cover them as they cover signaling. Thread-safe.
 */
final class RepoLink implements RepoPeerLink {

    /** WebSocket close reasons are at most 123 bytes of UTF-8. */
    private static final int MAX_REASON_BYTES = 123;

    /** Below this many queued frames the bytes are not counted: counting costs a pass over the queue. */
    private static final int FRAMES_BEFORE_COUNTING = 16;

    private final Connection connection;
    private final long maxQueuedBytes;

    RepoLink(Connection connection, long maxQueuedBytes) {
        this.connection = connection;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Refuses the frame when the client does not read: more than the limit already waits for it. */
    @Override
    public boolean send(byte[] frame) {
        if (connection.socket instanceof WebSocketImpl impl
                && impl.outQueue.size() > FRAMES_BEFORE_COUNTING
                && queuedBytes(impl) + frame.length > maxQueuedBytes) {
            return false;
        }
        return connection.sendBinary(frame, "automerge-repo");
    }

    private static long queuedBytes(WebSocketImpl socket) {
        long bytes = 0;
        for (ByteBuffer buffer : socket.outQueue) {
            bytes += buffer.remaining();
        }
        return bytes;
    }

    @Override
    public void close(int code, String reason) {
        connection.close(code, truncate(reason));
    }

    @Override
    public String describe() {
        return connection.describe();
    }

    static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        // Cut on a character boundary: decoding a prefix drops a split character's bytes.
        String cut = new String(bytes, 0, MAX_REASON_BYTES - 3, StandardCharsets.UTF_8);
        while (!cut.isEmpty() && cut.charAt(cut.length() - 1) == '\uFFFD') {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "...";
    }
}
