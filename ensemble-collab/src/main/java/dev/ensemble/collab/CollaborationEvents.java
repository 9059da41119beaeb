package dev.ensemble.collab;

/**
 * Names of the events a {@link CollaborationActor} emits besides its own.
 */
public final class CollaborationEvents {
    /** Something a peer sent for this document was rejected; payload: a {@link SyncError}. */
    public static final String SYNC_ERROR = "sync-error";
    /** A change could not be saved to storage; payload: the {@code StorageException}. It is retried. */
    public static final String SAVE_FAILED = "save-failed";
    /** The document holds data the view type cannot represent; payload: the exception. */
    public static final String VIEW_ERROR = "view-error";
    /**
     * Changes from a peer were merged; payload: the peer's {@code PeerId} (with an automerge-repo
     * server: the server's peer id, as text).
     */
    public static final String MERGED = "merged";
    /**
     * A document to be found through an automerge-repo server is not there: the server answered
     * {@code doc-unavailable}, or nothing within the find timeout; payload: an {@link Unavailable}.
     * Not final: if the document reaches the server later, it still syncs. Retained while it
     * holds: a listener that subscribes after it happened (just after {@code ActorSystem.start()},
     * say) receives it at once; once the document arrives, it is no longer retained.
     */
    public static final String UNAVAILABLE = "unavailable";

    private CollaborationEvents() {}

    /**
     * A message from a peer that this document rejected; the document is unchanged by it.
     *
     * @param peer the peer's id
     * @param documentId the document
     * @param message what was wrong
     */
    public record SyncError(String peer, String documentId, String message) {}

    /**
     * A document that could not be found.
     *
     * @param url its {@code automerge:} URL
     * @param reason why, e.g. {@code the server has no document automerge:… (doc-unavailable)}
     */
    public record Unavailable(String url, String reason) {}
}
