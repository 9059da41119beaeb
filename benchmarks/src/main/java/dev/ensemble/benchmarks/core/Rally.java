package dev.ensemble.benchmarks.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The finish line of one ping-pong round: the harness opens a round, the last hit of each pair
 * counts down. Written by the harness thread between rounds, read by players during them.
 */
final class Rally {
    private volatile CountDownLatch finished = new CountDownLatch(0);

    void begin(int pairs) {
        finished = new CountDownLatch(pairs);
    }

    void pairFinished() {
        finished.countDown();
    }

    void await(Duration timeout, String what) throws InterruptedException, TimeoutException {
        CountDownLatch latch = finished;
        if (!latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new TimeoutException(what + ": " + latch.getCount() + " pair(s) still playing after "
                    + timeout.toMillis() + " ms; the runtime lost or stalled a message");
        }
    }
}
