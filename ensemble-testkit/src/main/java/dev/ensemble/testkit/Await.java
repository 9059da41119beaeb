package dev.ensemble.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits until a condition holds, with a deadline: the one way the project's tests wait for other
 * threads and processes, instead of sleeping a guessed time. A passing test waits only as long as
 * the condition takes; a failing one fails after the deadline with an {@link AssertionError} that
 * names the condition, says how long it waited and, if asked, shows the state that explains why.
 *
 * <pre>{@code
 * Await.until("Bob receives the message", () -> bobEvents.messages().size() == 1);
 * Await.until("the server releases the room", Duration.ofSeconds(5), () -> hub.rooms().isEmpty(),
 *         () -> "rooms: " + hub.rooms());
 * List<String> log = Await.value("the cancel is logged", () -> {
 *     List<String> now = clock.state();
 *     return now.contains("cancelled") ? now : null;    // null: not yet
 * });
 * }</pre>
 *
 * <p>A failure reads, for example: {@code timed out after 30012 ms (timeout 30000 ms) waiting
 * for: Bob receives the message; state: 0 message(s)}.
 *
 * <h2>Polling</h2>
 *
 * The condition is checked at once, then again after pauses that grow from 50 µs to {@value
 * #MAX_PAUSE_MILLIS} ms: a condition that is nearly true costs microseconds, a long wait does not
 * take a core from the code it waits for (the build machines have two, shared by several builds).
 * It is checked once more at the deadline, so a condition that became true while the waiting
 * thread was descheduled still passes. An exception or an {@code AssertionError} thrown by the
 * condition ends the wait and reaches the caller unchanged (a condition may fail early, for
 * example when a child process it waits for has died).
 *
 * <h2>Threading</h2>
 *
 * Stateless and thread-safe. The condition runs on the calling thread, so it must only read
 * state that is safe to read from there (concurrent collections, volatile fields, snapshots). An
 * interrupt ends the wait with an {@code AssertionError}; the thread stays interrupted.
 */
public final class Await {

    /**
     * How long a wait without an explicit timeout may take: long enough for a machine busy with
     * other builds; a passing test never waits for it.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The longest pause between two checks of a condition. */
    static final long MAX_PAUSE_MILLIS = 10;

    private static final long FIRST_PAUSE_NANOS = 50_000;

    private Await() {}

    /**
     * Waits up to {@link #DEFAULT_TIMEOUT} until {@code condition} holds.
     *
     * @param what the condition in words, for the failure message (e.g. "Alice sees Bob")
     * @param condition checked on this thread until it returns true
     * @throws AssertionError if it does not hold in time
     */
    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT_TIMEOUT, condition, null);
    }

    /**
     * Waits up to {@link #DEFAULT_TIMEOUT} until {@code condition} holds; a failure shows {@code
     * state}.
     *
     * @param what the condition in words, for the failure message
     * @param condition checked on this thread until it returns true
     * @param state what explains a failure (e.g. the events seen so far); asked only on failure
     * @throws AssertionError if it does not hold in time
     */
    public static void until(String what, BooleanSupplier condition, Supplier<?> state) {
        until(what, DEFAULT_TIMEOUT, condition, state);
    }

    /**
     * Waits up to {@code timeout} until {@code condition} holds.
     *
     * @param what the condition in words, for the failure message
     * @param timeout how long to wait, zero or more (zero checks once)
     * @param condition checked on this thread until it returns true
     * @throws AssertionError if it does not hold in time
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, null);
    }

    /**
     * Waits up to {@code timeout} until {@code condition} holds; a failure shows {@code state}.
     *
     * @param what the condition in words, for the failure message
     * @param timeout how long to wait, zero or more (zero checks once)
     * @param condition checked on this thread until it returns true
     * @param state what explains a failure (e.g. the events seen so far); asked only on failure
     * @throws AssertionError if it does not hold in time
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<?> state) {
        Objects.requireNonNull(condition, "condition");
        poll(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null, state);
    }

    /**
     * Waits up to {@link #DEFAULT_TIMEOUT} until {@code probe} returns a value, and returns it.
     *
     * @param what the value in words, for the failure message
     * @param probe returns the value once it is there, {@code null} before
     * @param <T> the value's type
     * @return the first value {@code probe} returned
     * @throws AssertionError if there is none in time
     */
    public static <T> T value(String what, Supplier<? extends T> probe) {
        return poll(what, DEFAULT_TIMEOUT, probe, null);
    }

    /**
     * Waits up to {@code timeout} until {@code probe} returns a value, and returns it.
     *
     * @param what the value in words, for the failure message
     * @param timeout how long to wait, zero or more (zero asks once)
     * @param probe returns the value once it is there, {@code null} before
     * @param <T> the value's type
     * @return the first value {@code probe} returned
     * @throws AssertionError if there is none in time
     */
    public static <T> T value(String what, Duration timeout, Supplier<? extends T> probe) {
        return poll(what, timeout, probe, null);
    }

    private static <T> T poll(String what, Duration timeout, Supplier<? extends T> probe, Supplier<?> state) {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be zero or more, but was " + timeout + " for: " + what);
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            long left = deadline - System.nanoTime();
            if (left < 0) {
                throw new AssertionError(failure(what, timeout, System.nanoTime() - start, state));
            }
            LockSupport.parkNanos(Math.min(pause, left + 1));
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionError("interrupted after " + toMillis(System.nanoTime() - start)
                        + " ms waiting for: " + what + describe(state));
            }
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS * 1_000_000);
        }
    }

    private static String failure(String what, Duration timeout, long waitedNanos, Supplier<?> state) {
        return "timed out after " + toMillis(waitedNanos) + " ms (timeout " + timeout.toMillis() + " ms) waiting for: "
                + what + describe(state);
    }

    private static String describe(Supplier<?> state) {
        if (state == null) {
            return "";
        }
        try {
            return "; state: " + state.get();
        } catch (RuntimeException e) {
            return "; state unavailable: " + e;
        }
    }

    private static long toMillis(long nanos) {
        return nanos / 1_000_000;
    }
}
