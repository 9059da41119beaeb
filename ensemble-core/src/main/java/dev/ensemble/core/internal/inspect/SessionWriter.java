package dev.ensemble.core.internal.inspect;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: the one thread of a session that calls its sink, so that lines reach it one at a
 * time and in the order they were queued (a stream's events before its end), and so that a slow
 * sink holds up this thread only: actors queue an event without waiting, and an event that finds
 * {@link #EVENT_CAPACITY} events waiting is refused (the stream counts it as dropped). Replies are
 * never refused.
 *
 * <p>Threading: {@link #reply} and {@link #offerEvent} from any thread; {@link #close} from any
 * thread, once the sink is no longer called when it returns (unless the sink is stuck for more than
 * a second in a call, or close is called from inside the sink).
 */
final class SessionWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SessionWriter.class);
    /** Events waiting for the sink at most; more are dropped. */
    static final int EVENT_CAPACITY = 1024;

    private record Line(String text, boolean event) {}

    private static final Line STOP = new Line("", false);

    private final Consumer<String> sink;
    private final LinkedBlockingQueue<Line> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger eventsWaiting = new AtomicInteger();
    /** Held around each sink call, so that close can wait for the one under way. */
    private final ReentrantLock delivering = new ReentrantLock();

    private final Thread thread;
    private volatile boolean closed;

    SessionWriter(String threadName, Consumer<String> sink) {
        this.sink = sink;
        this.thread = new Thread(this::deliver, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a line that must arrive: a hello, a reply, an error, a stream's end. */
    void reply(String line) {
        if (!closed) {
            queue.add(new Line(line, false));
        }
    }

    /** @return false if too many events wait (the caller counts a drop) or the session closed */
    boolean offerEvent(String line) {
        if (closed) {
            return false;
        }
        if (eventsWaiting.incrementAndGet() > EVENT_CAPACITY) {
            eventsWaiting.decrementAndGet();
            return false;
        }
        queue.add(new Line(line, true));
        return true;
    }

    private void deliver() {
        try {
            while (true) {
                Line line = queue.take();
                if (line == STOP) {
                    return;
                }
                if (line.event()) {
                    eventsWaiting.decrementAndGet();
                }
                delivering.lock();
                try {
                    if (closed) {
                        return;
                    }
                    sink.accept(line.text());
                } catch (Throwable e) {
                    LOG.warn("inspection sink threw; the line is lost", e);
                } finally {
                    delivering.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void close() {
        closed = true;
        queue.clear();
        queue.add(STOP);
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            if (delivering.tryLock(1, TimeUnit.SECONDS)) {
                delivering.unlock();
            } else {
                LOG.warn("inspection sink did not return within 1 s of closing its session");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
