package dev.ensemble.core.internal.tree;

import dev.ensemble.core.bus.BusMessage;
import dev.ensemble.core.bus.BusReceiver;
import dev.ensemble.core.internal.cell.ActorCell;
import java.util.concurrent.CompletableFuture;

/**
 * INTERNAL API: an actor under a supervisor of a tree.
 *
 * <p>Threading: thread-safe; the cell does the work.
 */
final class WorkerMember implements TreeMember {
    private final String name;
    private final ActorCell<?> cell;

    WorkerMember(String name, ActorCell<?> cell) {
        this.name = name;
        this.cell = cell;
    }

    ActorCell<?> cell() {
        return cell;
    }

    @Override
    public String path() {
        return cell.name();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<Void> suspend(Throwable cause) {
        return cell.requestSuspend(cause);
    }

    @Override
    public CompletableFuture<Void> restart() {
        return cell.resumeRestart();
    }

    @Override
    public CompletableFuture<Void> stop() {
        return cell.stopGracefully();
    }

    @Override
    public boolean awaitingDecision() {
        return cell.awaitingSupervisor();
    }

    /** A tell of {@link BusReceiver#receive}: a stopped actor or a full mailbox throws to the router. */
    @Override
    public void deliver(BusMessage message) {
        ((BusReceiver) cell.client().actions()).receive(message);
    }

    @Override
    public String toString() {
        return path();
    }
}
