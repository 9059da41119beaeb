package dev.ensemble.remote;

import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

/**
 * An ask or a subscription request waiting for its reply. Whoever removes it from the node's
 * pending map first (reply, timeout, node down, close) completes it: so it completes exactly once.
 */
final class PendingCall {
    final long id;
    final Link link;
    /** Null for a subscription request. */
    final CompletableFuture<Object> future;

    final Type resultType;
    final Executor executor;
    /** For errors: "ask total() of actor \"counter\" on node did:key:z6Mk…". */
    final String what;

    volatile ScheduledFuture<?> timeout;

    PendingCall(long id, Link link, CompletableFuture<Object> future, Type resultType, Executor executor, String what) {
        this.id = id;
        this.link = link;
        this.future = future;
        this.resultType = resultType;
        this.executor = executor;
        this.what = what;
    }

    void succeed(Object value) {
        cancelTimeout();
        if (future != null) {
            executor.execute(() -> future.complete(value));
        }
    }

    void fail(Throwable error) {
        cancelTimeout();
        if (future != null) {
            executor.execute(() -> future.completeExceptionally(error));
        }
    }

    private void cancelTimeout() {
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }
}
