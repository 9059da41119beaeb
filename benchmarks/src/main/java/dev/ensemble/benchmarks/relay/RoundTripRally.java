package dev.ensemble.benchmarks.relay;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Times round trips of one frame: the timing client sends it, something sends it back, and the reply
 * is timed and answered at once with the next send, on the timing client's read thread, until the
 * block is done. No other thread is woken per round trip, so the numbers are the network path's.
 *
 * <p>Threading: {@link #play} is called by one harness thread; the reply handler runs on the timing
 * client's read thread. A block is handed over through the volatile {@link #current}.
 */
final class RoundTripRally {

    /** One block of round trips; {@link #remaining} and {@link #sentAtNanos} belong to the read thread once started. */
    private static final class Block {
        final Histogram histogram;
        final CountDownLatch done = new CountDownLatch(1);
        int remaining;
        long sentAtNanos;

        Block(Histogram histogram, int count) {
            this.histogram = histogram;
            this.remaining = count;
        }
    }

    final String name;
    private final BenchClient timer;
    private final byte[] frame;
    private volatile Block current;

    /**
     * @param name  names the comparison in errors and results
     * @param timer the client that sends and times; its {@code onFrame} is taken over
     * @param frame the bytes to send (never changed)
     */
    RoundTripRally(String name, BenchClient timer, byte[] frame) {
        this.name = name;
        this.timer = timer;
        this.frame = frame;
        timer.onFrame = this::replied;
    }

    private void replied(ByteBuffer reply) {
        long now = System.nanoTime();
        Block block = current;
        if (block == null || block.remaining == 0) {
            return;
        }
        block.histogram.recordValue(now - block.sentAtNanos);
        if (--block.remaining > 0) {
            block.sentAtNanos = System.nanoTime();
            timer.send(frame);
        } else {
            block.done.countDown();
        }
    }

    /**
     * Plays {@code count} round trips in a row and records each one, in nanoseconds, into {@code histogram}.
     *
     * @throws IllegalStateException if the block does not finish within {@code timeout}: a frame was
     *     lost or stuck
     */
    void play(int count, Histogram histogram, Duration timeout) throws InterruptedException {
        Block block = new Block(histogram, count);
        block.sentAtNanos = System.nanoTime();
        current = block;
        timer.send(frame);
        if (!block.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            current = null;
            throw new IllegalStateException(name + " round trips: still waiting for a reply after " + timeout.toMillis()
                    + " ms with " + block.remaining + " of " + count + " round trips to go; a frame was lost or stuck"
                    + (timer.closedBecause == null ? "" : " (the client was " + timer.closedBecause + ")"));
        }
        current = null;
    }
}
