package dev.ensemble.core.internal.cell;

import dev.ensemble.core.internal.invoke.ActionTable;
import dev.ensemble.core.monitor.MessageTrace;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An ask: an action call whose answer goes back through {@link #reply}. */
final class AskMessage extends ActionMessage {
    private final CompletableFuture<Object> reply;
    /** Set by the turn, read after it committed (same thread). */
    private CompletionStage<?> answer;

    AskMessage(ActionTable.Action action, Object[] args, CompletableFuture<Object> reply) {
        super(action, args);
        this.reply = reply;
    }

    @Override
    void run(ActorCell<?> cell) throws Throwable {
        Object result = invoke(cell);
        if (result == null) {
            throw new NullPointerException("action " + name() + "() of actor \"" + cell.name()
                    + "\" returned null: an ask must return a CompletableFuture or CompletionStage");
        }
        answer = (CompletionStage<?>) result;
    }

    @Override
    void succeeded() {
        CompletionStage<?> a = answer;
        answer = null;
        CompletableFuture<Object> reply = this.reply;
        // The usual answer, reply(value): already complete, so the caller is woken now, without
        // registering a callback on it. Exactly CompletableFuture: subclasses such as a minimal
        // stage refuse isDone().
        if (a.getClass() == CompletableFuture.class) {
            CompletableFuture<?> done = (CompletableFuture<?>) a;
            if (done.isDone() && !done.isCompletedExceptionally()) {
                reply.complete(done.getNow(null));
                return;
            }
        }
        a.whenComplete((value, error) -> {
            if (error != null) {
                reply.completeExceptionally(error);
            } else {
                reply.complete(value);
            }
        });
    }

    @Override
    void drop(Throwable reason) {
        reply.completeExceptionally(reason);
    }

    @Override
    void failed(ActorCell<?> cell, Throwable cause) {
        answer = null;
        reply.completeExceptionally(cause);
    }

    @Override
    MessageTrace.Kind kind() {
        return MessageTrace.Kind.ASK;
    }
}
