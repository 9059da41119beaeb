/**
 * automerge-repo interop: the wire of automerge-repo's network protocol (version 1) as its
 * JavaScript implementation speaks it ({@link dev.ensemble.collab.repo.RepoMessage},
 * {@link dev.ensemble.collab.repo.RepoCodec}), its document ids and {@code automerge:} URLs
 * ({@link dev.ensemble.collab.repo.DocumentId}, {@link dev.ensemble.collab.repo.AutomergeUrl}).
 *
 * <p>The protocol, with test vectors, is specified in {@code docs/PROTOCOL.md} ("automerge-repo
 * protocol (version 1)"). This package knows no WebSocket library.
 */
package dev.ensemble.collab.repo;
