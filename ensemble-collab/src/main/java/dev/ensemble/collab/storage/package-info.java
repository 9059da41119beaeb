/**
 * Durable storage of collaboration documents: a snapshot plus an append-only log of changes per
 * document, with a file-system implementation that survives crashes and an in-memory one for tests.
 *
 * <p>{@link dev.ensemble.collab.storage.DocumentStorage} is the contract; the file format and the
 * crash-safety invariant are described on {@link dev.ensemble.collab.storage.FileDocumentStorage}
 * and in {@code docs/STORAGE.md}.
 */
package dev.ensemble.collab.storage;
