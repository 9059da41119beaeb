/**
 * automerge-repo interop: the wire of automerge-repo's network protocol (version 1) as its
 * JavaScript implementation speaks it ({@link dev.ensemble.collab.repo.RepoMessage},
 * {@link dev.ensemble.collab.repo.RepoCodec}), its document ids and {@code automerge:} URLs
 * ({@link dev.ensemble.collab.repo.DocumentId}, {@link dev.ensemble.collab.repo.AutomergeUrl}),
 * and the client: a {@link dev.ensemble.collab.repo.RepoConnectionActor} per sync server, through
 * which {@link dev.ensemble.collab.CollaborationActor}s whose settings name a
 * {@link dev.ensemble.collab.repo.RepoSharing} create or find their documents.
 *
 * <p>The protocol, with test vectors, is specified in {@code docs/PROTOCOL.md} ("automerge-repo
 * protocol (version 1)"). This package knows no WebSocket library: the connection is a
 * {@code dev.ensemble.transport.BinarySocket}, which {@code ensemble-transport-ws} implements.
 */
package dev.ensemble.collab.repo;
