package dev.ensemble.signaling.server;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, failing with a message that names what was awaited. */
final class Await {

    static final Duration DEFAULT = Duration.ofSeconds(10);

    private Await() {}

    static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT, condition);
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> "");
    }

    static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + timeout.toMillis() + " ms waiting for " + what + " " + state.get());
            }
            LockSupport.parkNanos(2_000_000);
        }
    }
}
