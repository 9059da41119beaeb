package dev.ensemble.collab.sync;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition with a deadline: the only way these tests wait for other threads. */
final class Await {
    /** Long enough for a busy machine; a passing test never waits for it. */
    private static final Duration DEFAULT = Duration.ofSeconds(30);

    private Await() {}

    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEFAULT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEFAULT.toMillis() + " ms waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
