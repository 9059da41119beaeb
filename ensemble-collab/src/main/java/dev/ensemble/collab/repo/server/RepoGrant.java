package dev.ensemble.collab.repo.server;

import dev.ensemble.collab.repo.DocumentId;
import java.time.Instant;

/**
 * What one admitted client may open, decided by a {@link RepoAccessPolicy} when it joined. Asked
 * once per document and connection, the first time the client sends anything about the document
 * ({@code request}, {@code sync} or {@code ephemeral}); a client that may open a document both reads
 * and writes it. Called on the sync server's thread: fast, no I/O, no throwing.
 */
@FunctionalInterface
public interface RepoGrant {
    /** Every document, existing or new: the reference server's only mode. */
    RepoGrant ALL = (documentId, exists) -> true;

    /**
     * @param documentId the document the client names
     * @param exists true if the server holds the document; false if the client would create it
     * @return true to let the client sync it; false to answer as if the server did not have it
     */
    boolean mayOpen(DocumentId documentId, boolean exists);

    /**
     * When the grant ends: the server closes the connection then (1008, with an {@code error}
     * message saying so), so that a client admitted just before its token expired does not keep
     * its documents for as long as it stays connected. The default never ends.
     *
     * @return the end, or null for none
     */
    default Instant expiresAt() {
        return null;
    }
}
