package dev.ensemble.collab.repo.server;

/**
 * The socket of one client of a {@link RepoSyncServer}, as the server that owns the socket offers
 * it: whole binary messages out, and a close. Implementations must be thread-safe and must not
 * block: the sync server calls them from its own thread, and {@link #send} also from the thread
 * that called {@link RepoServerSession#received} or {@link RepoServerSession#refuse} (the
 * {@code error} message that goes out before the server closes a connection that broke a rule).
 */
public interface RepoPeerLink {
    /**
     * Queues one binary message (one CBOR map) to the client.
     *
     * @param frame the encoded message; not modified afterwards
     * @return false if the connection is closed or closing, or if the client does not read: more
     *     than {@link RepoServerSettings#maxQueuedBytes()} wait to be sent to it (the message is
     *     dropped; the server then closes the connection)
     */
    boolean send(byte[] frame);

    /**
     * Starts closing the connection after what was sent before.
     *
     * @param code a WebSocket close code (1008 policy violation, 1002 protocol error, 1009 too big,
     *     1011 server error)
     * @param reason a short readable reason (at most 123 bytes of UTF-8 are sent)
     */
    void close(int code, String reason);

    /** @return the connection for log lines, e.g. its remote address */
    String describe();
}
