package dev.ensemble.benchmarks.piano;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline, polling it every few milliseconds. Thread-safe: stateless.
 *
 * <pre>{@code
 * Waiting.until("every note arrives", Duration.ofSeconds(30), () -> receipts.get() >= expected);
 * }</pre>
 */
final class Waiting {
    private static final long POLL_MILLIS = 5;

    private Waiting() {}

    /**
     * @param what the condition in words, for the error
     * @param timeout how long to wait at most
     * @param condition polled until true
     * @throws IllegalStateException naming {@code what} if the condition stays false for {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        if (!within(timeout, condition)) {
            throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
        }
    }

    /**
     * @param timeout how long to wait at most
     * @param condition polled until true
     * @return whether the condition became true in time
     * @throws InterruptedException if interrupted while waiting
     */
    static boolean within(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }
}
