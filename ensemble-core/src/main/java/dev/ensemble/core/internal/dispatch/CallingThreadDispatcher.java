package dev.ensemble.core.internal.dispatch;

import dev.ensemble.core.dispatch.DispatcherSelector;
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
    public void schedule(Dispatchable actor) {
        actor.run();
    }

    @Override
    public void reschedule(Dispatchable actor) {
        actor.run();
    }

    @Override
    public int throughput() {
        return Integer.MAX_VALUE;
    }

    @Override
    public String name() {
        return DispatcherSelector.CALLING_THREAD;
    }

    @Override
    public void shutdown(Duration timeout) {}
}
