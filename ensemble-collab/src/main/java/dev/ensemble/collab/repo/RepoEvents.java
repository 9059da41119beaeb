package dev.ensemble.collab.repo;

/** Names and payloads of the events a {@link RepoConnectionActor} emits. */
public final class RepoEvents {
    /** The server answered {@code join}; payload: a {@link Connected}. */
    public static final String CONNECTED = "repo-connected";
    /** The connection ended (a reconnect follows); payload: the reason, as text. */
    public static final String DISCONNECTED = "repo-disconnected";
    /**
     * The server sent something wrong (a malformed frame, an {@code error} message); payload: the
     * problem, as text. Malformed frames are dropped, as the JavaScript client does.
     */
    public static final String ERROR = "repo-error";

    private RepoEvents() {}

    /**
     * @param documentId a document
     * @return the name of the event carrying that document's messages ({@code sync}, {@code
     *     request}, {@code doc-unavailable}, {@code ephemeral}); payload: the {@link RepoMessage}
     */
    public static String document(DocumentId documentId) {
        return "repo-document:" + documentId;
    }

    /**
     * A connection joined.
     *
     * @param connection its number (see {@link RepoConnection#sendSync})
     * @param serverPeerId the server's peer id
     * @param serverMetadata what the server said about itself
     */
    public record Connected(int connection, String serverPeerId, PeerMetadata serverMetadata) {}
}
