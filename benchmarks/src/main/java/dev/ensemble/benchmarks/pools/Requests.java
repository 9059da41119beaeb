package dev.ensemble.benchmarks.pools;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One burst of requests as both runtimes' workers see it: when each was sent, when a worker
 * began it, and a latch that opens once all were handled. Each slot is written by one worker
 * thread and read after the latch opened, which publishes the writes.
 */
final class Requests {
    private final long[] sent;
    private final long[] began;
    private final CountDownLatch done;

    Requests(int count) {
        this.sent = new long[count];
        this.began = new long[count];
        this.done = new CountDownLatch(count);
    }

    int count() {
        return sent.length;
    }

    void sent(int request, long nanos) {
        sent[request] = nanos;
    }

    long sentAt(int request) {
        return sent[request];
    }

    /** A worker handles one: it records when it began, blocks as if on I/O, and counts it done. */
    void handle(int request, long blockNanos) {
        began[request] = System.nanoTime();
        long until = began[request] + blockNanos;
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        done.countDown();
    }

    void await() throws InterruptedException {
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("a burst did not complete in 5 minutes");
        }
    }

    /** @return the queue waits (began - sent) in nanoseconds, sorted */
    long[] sortedWaits() {
        long[] waits = new long[sent.length];
        for (int i = 0; i < waits.length; i++) {
            waits[i] = began[i] - sent[i];
        }
        Arrays.sort(waits);
        return waits;
    }
}
