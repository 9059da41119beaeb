package dev.ensemble.piano;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition with a deadline: the only way tests here wait. */
public final class Await {
    /** How long a condition may take by default. */
    public static final Duration DEFAULT = Duration.ofSeconds(10);

    private Await() {}

    /**
     * @param what what is awaited, for the failure message
     * @param condition polled until true
     */
    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT, condition);
    }

    /**
     * @param what what is awaited, for the failure message
     * @param timeout how long to wait
     * @param condition polled until true
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
