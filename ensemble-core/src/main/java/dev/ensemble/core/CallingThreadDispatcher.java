package dev.ensemble.core;

import java.time.Duration;

/**
 * Runs turns on the thread that sent the message, until the mailbox is empty: deterministic,
 * for tests. A message sent from inside a turn goes to the tail of the mailbox, because the
 * actor is already scheduled, and runs when the current turn is over.
 */
final class CallingThreadDispatcher implements Dispatcher {
    static final CallingThreadDispatcher INSTANCE = new CallingThreadDispatcher();

    private CallingThreadDispatcher() {}

    @Override
    public void schedule(ActorCell<?> cell) {
        cell.run();
    }

    @Override
    public void reschedule(ActorCell<?> cell) {
        cell.run();
    }

    @Override
    public int throughput() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void shutdown(Duration timeout) {}
}
