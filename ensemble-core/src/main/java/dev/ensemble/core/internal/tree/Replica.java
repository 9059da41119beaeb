package dev.ensemble.core.internal.tree;

import dev.ensemble.core.internal.cell.ActorCell;
import dev.ensemble.core.internal.cell.BusyClock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * INTERNAL API: one replica of a pool, with the count of calls being routed to it, so that a
 * replica being removed is stopped only after every call routed to it was enqueued: its stop
 * then comes after all of them in its mailbox, and none is lost or rerouted after running.
 *
 * <p>Threading: thread-safe.
 */
final class Replica {
    private final int number;
    private final ActorCell<?> cell;
    private final BusyClock busy;
    /** Calls between {@link #enter()} and {@link #exit()}. */
    private final AtomicInteger routing = new AtomicInteger();
    /** Set once it leaves the routing; {@link #enter()} refuses from then on. */
    private volatile boolean draining;

    Replica(int number, ActorCell<?> cell, BusyClock busy) {
        this.number = number;
        this.cell = cell;
        this.busy = busy;
    }

    /** @return its number in the pool, the last segment of its path; never reused */
    int number() {
        return number;
    }

    ActorCell<?> cell() {
        return cell;
    }

    long busyNanos() {
        return busy.busyNanos();
    }

    /** @return true if a call may be routed here; then {@link #exit()} must follow */
    boolean enter() {
        routing.incrementAndGet();
        if (draining) {
            routing.decrementAndGet();
            return false;
        }
        return true;
    }

    void exit() {
        routing.decrementAndGet();
    }

    /** Refuses new calls and waits (briefly: an enqueue) for those under way. */
    void drain() {
        draining = true;
        while (routing.get() > 0) {
            Thread.onSpinWait();
        }
    }
}
