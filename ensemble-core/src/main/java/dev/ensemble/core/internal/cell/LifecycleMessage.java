package dev.ensemble.core.internal.cell;

import dev.ensemble.core.monitor.MessageTrace;
import java.util.concurrent.CompletableFuture;

/**
 * A step of the actor's life: starting the first instance, restarting after a failure, or
 * stopping after the messages already queued. A restart is never queued: the cell runs it as the
 * first turn once the mailbox may move again (after the backoff).
 */
final class LifecycleMessage extends Message {
    enum Step {
        START,
        RESTART,
        STOP
    }

    private final Step step;
    /**
     * Completed when the step ran; null for a restart, which nobody waits for. Released once the
     * message ran, since a consumed node may stay in the mailbox as its stub.
     */
    private CompletableFuture<Void> done;

    LifecycleMessage(Step step, CompletableFuture<Void> done) {
        this.step = step;
        this.done = done;
    }

    @Override
    void run(ActorCell<?> cell) throws Throwable {
        switch (step) {
            case START -> cell.startInTurn();
            case RESTART -> cell.restartInTurn();
            case STOP -> cell.stopInTurn(null);
        }
    }

    @Override
    void succeeded() {
        if (done != null) {
            done.complete(null);
        }
    }

    @Override
    void drop(Throwable reason) {
        if (done == null) {
            return;
        }
        if (step == Step.STOP) {
            done.complete(null);
        } else {
            done.completeExceptionally(reason);
        }
    }

    @Override
    void failed(ActorCell<?> cell, Throwable cause) {
        if (done != null) {
            done.completeExceptionally(cause);
        }
    }

    /** A restart that fails is a failure of the fresh instance, which the supervisor answers. */
    @Override
    boolean failsInstance() {
        return step == Step.RESTART;
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
        return switch (step) {
            case START -> "start";
            case RESTART -> "restart";
            case STOP -> "stop";
        };
    }
}
