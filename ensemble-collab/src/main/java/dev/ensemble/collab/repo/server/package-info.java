/**
 * An automerge-repo sync server without a socket: {@link dev.ensemble.collab.repo.server.RepoSyncServer}
 * answers {@code join} with {@code peer}, syncs every document its clients send or ask for, keeps
 * them in a {@link dev.ensemble.collab.storage.DocumentStorage}, answers {@code doc-unavailable} for
 * documents it does not have, and relays {@code ephemeral} messages between the clients of a
 * document. Who may join and open what is an {@link dev.ensemble.collab.repo.server.RepoAccessPolicy}
 * (open by default, like the reference server; {@link dev.ensemble.collab.repo.server.RepoAccessTokens}
 * grants document ids by signed token).
 *
 * <p>A server that owns the sockets (the signaling server's {@code /automerge-repo} path) hands each
 * connection to {@link dev.ensemble.collab.repo.server.RepoSyncServer#open} as a
 * {@link dev.ensemble.collab.repo.server.RepoPeerLink} and feeds its frames to the returned
 * {@link dev.ensemble.collab.repo.server.RepoServerSession}. The user's page is
 * {@code docs/AUTOMERGE-REPO.md}.
 */
package dev.ensemble.collab.repo.server;
