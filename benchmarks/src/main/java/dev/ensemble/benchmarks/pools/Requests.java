package dev.ensemble.benchmarks.pools;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
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
    private final long[] worker;
    private final CountDownLatch done;

    Requests(int count) {
        this.sent = new long[count];
        this.began = new long[count];
        this.worker = new long[count];
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
        worker[request] = Thread.currentThread().getId();
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

    /**
     * @param workers how many workers
     * @return nanoseconds from the first send until {@code workers} distinct workers (threads) had
     *     begun a request, or -1 if fewer served this burst
     */
    long nanosUntilWorkers(int workers) {
        Integer[] order = new Integer[began.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(began[a], began[b]));
        Set<Long> seen = new HashSet<>();
        for (int i : order) {
            if (seen.add(worker[i]) && seen.size() == workers) {
                return began[i] - sent[0];
            }
        }
        return -1;
    }

    /** @return how many distinct workers (threads) began requests of this burst */
    int workers() {
        return (int) Arrays.stream(worker).distinct().count();
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
