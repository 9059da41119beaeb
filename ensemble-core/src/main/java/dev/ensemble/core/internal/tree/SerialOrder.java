package dev.ensemble.core.internal.tree;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: runs a supervisor's steps one after another, each one starting when the future
 * of the one before it completed, so that a supervisor decides like an OTP supervisor process:
 * one failure at a time, never while a restart it ordered is still under way. Steps run on the
 * given executor, never on the thread that completed the previous step (often an actor's turn).
 *
 * <p>Threading: thread-safe; {@link #then} may be called from any thread.
 */
final class SerialOrder {
    private static final Logger LOG = LoggerFactory.getLogger(SerialOrder.class);

    private final String owner;
    private final Executor executor;
    /** Guarded by {@code this}: the last step queued. */
    private CompletableFuture<Void> tail;

    /**
     * @param owner the supervisor's path, for the log
     * @param executor where steps run
     * @param opened completes when steps may begin: once every actor of the system has started,
     *     so that a failure during the start is not answered by restarting actors still starting
     */
    SerialOrder(String owner, Executor executor, CompletableFuture<Void> opened) {
        this.owner = owner;
        this.executor = executor;
        this.tail = opened;
    }

    /**
     * @param step runs after every step queued before it; returns when its work has completed
     * @return completes when the step's work has completed, normally even if it failed (logged)
     */
    synchronized CompletableFuture<Void> then(Supplier<CompletableFuture<Void>> step) {
        CompletableFuture<Void> next = tail.thenComposeAsync(ignored -> run(step), executor)
                .handle((ignored, failure) -> {
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (cause instanceof RejectedExecutionException) {
                        LOG.debug("supervisor {}: a step was dropped: its system is stopping", owner);
                    } else if (cause != null) {
                        LOG.error("supervisor {}: a step failed", owner, cause);
                    }
                    return null;
                });
        tail = next;
        return next;
    }

    private CompletableFuture<Void> run(Supplier<CompletableFuture<Void>> step) {
        try {
            return step.get();
        } catch (RuntimeException failed) {
            return CompletableFuture.failedFuture(failed);
        }
    }
}
