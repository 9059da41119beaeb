/**
 * INTERNAL API. The sync protocol of one document as its own state machine: a {@link
 * dev.ensemble.collab.sync.SyncEngine} with a session per peer, reached through two ports, the
 * document ({@link dev.ensemble.collab.sync.SyncDocument}) and its owner ({@link
 * dev.ensemble.collab.sync.SyncHost}), so that it runs and is tested without actors, threads or
 * real time. {@code CollaborationActor} is its owner in production.
 */
package dev.ensemble.collab.sync;
