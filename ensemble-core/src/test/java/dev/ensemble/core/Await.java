package dev.ensemble.core;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a condition with a deadline: the only way tests here wait. */
final class Await {
    /** Long enough for a busy machine; a passing test never waits for it. */
    static final Duration DEFAULT = Duration.ofSeconds(30);

    private Await() {}

    static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT, condition);
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    static <T> T value(String what, Supplier<T> supplier) {
        Object[] holder = new Object[1];
        until(what, () -> (holder[0] = supplier.get()) != null);
        @SuppressWarnings("unchecked")
        T value = (T) holder[0];
        return value;
    }
}
