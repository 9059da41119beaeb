package dev.ensemble.core.internal.cell;

import dev.ensemble.core.internal.invoke.ActionTable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The future of one ask, and at the same time its entry among the pending timeouts
 * ({@link AskTimeouts}): one object per ask instead of a future, a timeout record, a supplier of
 * the timeout exception and a queue node.
 *
 * <p>Threading: a {@link CompletableFuture}, completed by the actor's turn, by the timeout sweep
 * or by the system's stop, whichever comes first. {@link #nextPending} belongs to
 * {@link AskTimeouts}.
 */
final class AskReply extends CompletableFuture<Object> {
    private final ActorCell<?> cell;
    private final ActionTable.Action action;
    private final Duration timeout;
    final long deadlineNanos;
    /** The next entry in {@link AskTimeouts}' list; written before the entry is published. */
    AskReply nextPending;

    AskReply(ActorCell<?> cell, ActionTable.Action action, Duration timeout, long deadlineNanos) {
        this.cell = cell;
        this.action = action;
        this.timeout = timeout;
        this.deadlineNanos = deadlineNanos;
    }

    /** Names the actor, the action, and what the actor was doing: built only when it times out. */
    TimeoutException timedOut() {
        return new TimeoutException("ask " + cell.name() + "." + action.name() + "() timed out after "
                + timeout.toMillis() + " ms (actor status " + cell.status() + ", " + cell.mailboxSize()
                + " messages waiting)");
    }
}
