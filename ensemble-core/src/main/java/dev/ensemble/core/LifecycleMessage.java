package dev.ensemble.core;

import dev.ensemble.core.monitor.MessageTrace;
import java.util.concurrent.CompletableFuture;

/** Starts the first instance, or stops the actor after the messages already queued. */
final class LifecycleMessage extends Message {
    enum Step {
        START,
        STOP
    }

    private final Step step;
    /** Released once the message ran, since a consumed node may stay in the mailbox as its stub. */
    private CompletableFuture<Void> done;

    LifecycleMessage(Step step, CompletableFuture<Void> done) {
        this.step = step;
        this.done = done;
    }

    @Override
    void run(ActorCell<?> cell) throws Throwable {
        if (step == Step.START) {
            cell.startFirstInstance();
        } else {
            cell.stopInTurn(null);
        }
    }

    @Override
    void succeeded() {
        done.complete(null);
    }

    @Override
    void drop(Throwable reason) {
        if (step == Step.STOP) {
            done.complete(null);
        } else {
            done.completeExceptionally(reason);
        }
    }

    @Override
    void failed(ActorCell<?> cell, Throwable cause) {
        done.completeExceptionally(cause);
    }

    @Override
    void clear() {
        done = null;
    }

    @Override
    public boolean exemptFromCapacity() {
        return true;
    }

    @Override
    MessageTrace.Kind kind() {
        return MessageTrace.Kind.TASK;
    }

    @Override
    String name() {
        return step == Step.START ? "start" : "stop";
    }
}
