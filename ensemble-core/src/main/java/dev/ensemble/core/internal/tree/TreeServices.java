package dev.ensemble.core.internal.tree;

import dev.ensemble.core.supervision.PoolClock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * INTERNAL API: what every supervisor and pool of a system's trees shares.
 *
 * <p>Thread-safe: immutable; each part is thread-safe.
 *
 * @param executor where supervisors decide and pools announce their resizes
 * @param deadLetters where bus messages that find no handler go
 * @param treeStarted completes once every actor of the system has started: supervisors answer
 *     failures from then on
 * @param cells makes and lists cells, and finds the actors of the root
 * @param clock what drives the pools' resizers
 */
record TreeServices(
        Executor executor,
        DeadLetters deadLetters,
        CompletableFuture<Void> treeStarted,
        CellMaker cells,
        PoolClock clock) {}
