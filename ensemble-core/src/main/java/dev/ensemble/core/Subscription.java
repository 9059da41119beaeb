package dev.ensemble.core;

/**
 * A registered listener; {@link #cancel()} removes it.
 *
 * <p>After {@code cancel()} returns, no new notification is handed to the listener, though one
 * already being delivered may finish. Cancelling twice is harmless. Thread-safe.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    /** Stops the deliveries. Idempotent and thread-safe. */
    void cancel();

    /** Same as {@link #cancel()}, for try-with-resources. */
    @Override
    default void close() {
        cancel();
    }
}
