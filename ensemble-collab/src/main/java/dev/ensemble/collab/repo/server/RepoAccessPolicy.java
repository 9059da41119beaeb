package dev.ensemble.collab.repo.server;

/**
 * Decides who may use a {@link RepoSyncServer} and which documents each client may open: the hook
 * an embedding application implements. The default, {@link #OPEN}, is the reference sync server's
 * only mode: anyone may join, and anyone who knows a document's id may read and write it.
 * {@link RepoAccessTokens#policy()} is a ready-made alternative that grants document ids by signed
 * token.
 *
 * <p>Threading: called on the sync server's thread, once per {@code join}; it must be fast and must
 * not block (no network, no disk), since every document waits for it. A policy that throws anything
 * but {@link RepoAccessDeniedException} refuses the join too, and the exception is logged.
 *
 * <pre>{@code
 * RepoAccessPolicy staffOnly = peer -> {
 *     if (!"let-me-in".equals(peer.token())) {
 *         throw new RepoAccessDeniedException("this server needs ?token= in its URL");
 *     }
 *     return (documentId, exists) -> exists || allowedToCreate(peer);
 * };
 * }</pre>
 */
@FunctionalInterface
public interface RepoAccessPolicy {
    /** Anyone may join and open any document. */
    RepoAccessPolicy OPEN = peer -> RepoGrant.ALL;

    /**
     * Admits a client or refuses it.
     *
     * @param peer the client that sent {@code join}
     * @return what it may open
     * @throws RepoAccessDeniedException to refuse it, with a reason the client reads
     */
    RepoGrant admit(RepoPeerInfo peer) throws RepoAccessDeniedException;
}
