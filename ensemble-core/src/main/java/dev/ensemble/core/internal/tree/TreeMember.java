package dev.ensemble.core.internal.tree;

import dev.ensemble.core.bus.BusMessage;
import java.util.concurrent.CompletableFuture;

/**
 * INTERNAL API: a child as its supervisor handles it, whether a worker or a supervisor: it can be
 * suspended (its instances end, its messages wait), restarted, stopped, and handed bus messages.
 *
 * <p>Threading: thread-safe; the lifecycle methods are called from the supervisor's serial order.
 */
interface TreeMember {
    /** @return its absolute path */
    String path();

    /** @return its name among its siblings */
    String name();

    /**
     * @param cause the sibling failure that makes the supervisor restart it
     * @return completes once its instances have ended
     */
    CompletableFuture<Void> suspend(Throwable cause);

    /** @return completes once it runs again with fresh instances (or failed again, reported apart) */
    CompletableFuture<Void> restart();

    /** @return completes once it has stopped for good, after what it had queued */
    CompletableFuture<Void> stop();

    /** @return true if a failure it reported still waits for a decision */
    boolean awaitingDecision();

    /** Hands it a bus message routed to it, on the publisher's thread. */
    void deliver(BusMessage message);
}
