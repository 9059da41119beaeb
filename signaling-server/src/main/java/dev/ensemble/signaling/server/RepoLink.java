package dev.ensemble.signaling.server;

import dev.ensemble.collab.repo.server.RepoPeerLink;
import java.nio.charset.StandardCharsets;

/**
 * The socket of one automerge-repo client, as the sync server engine ({@code RepoSyncServer} in
 * ensemble-collab) sees it. Sends go through the {@link Connection}, so the write guard and the
 * metrics cover them as they cover signaling. Thread-safe.
 */
final class RepoLink implements RepoPeerLink {

    /** WebSocket close reasons are at most 123 bytes of UTF-8. */
    private static final int MAX_REASON_BYTES = 123;

    private final Connection connection;

    RepoLink(Connection connection) {
        this.connection = connection;
    }

    @Override
    public boolean send(byte[] frame) {
        return connection.sendBinary(frame, "automerge-repo");
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
