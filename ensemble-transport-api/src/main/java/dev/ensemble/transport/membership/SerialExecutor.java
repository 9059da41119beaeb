package dev.ensemble.transport.membership;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. Runs tasks one at a time, in the order given, on whichever thread gives one while none
 * runs (the inner transport's callback thread, or the expiry timer's), never holding a lock while a task
 * runs. It is what lets the membership stage react to a timer without two of its callbacks ever
 * overlapping, as the listener contract requires. Thread-safe.
 */
final class SerialExecutor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();

    /** Runs {@code task} now if nothing runs, else after what runs and what waits. */
    void execute(Runnable task) {
        tasks.add(task);
        while (!tasks.isEmpty() && running.compareAndSet(false, true)) {
            try {
                Runnable next;
                while ((next = tasks.poll()) != null) {
                    try {
                        next.run();
                    } catch (RuntimeException e) {
                        log.error("a membership stage's task failed; the stage goes on", e);
                    }
                }
            } finally {
                running.set(false);
            }
            // A task added between the last poll and the release is run by the loop's next round.
        }
    }
}
