package dev.ensemble.transport.ws;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from a minimum to a maximum, each shortened by a random fraction
 * of up to {@code jitter} (see {@link WebSocketTransportConfig}). Immutable; the random source is
 * injected so that tests can pin it.
 */
record Backoff(Duration min, Duration max, double jitter, DoubleSupplier random) {

    /**
     * The wait before the next attempt after {@code failures} failed or lost connections in a row.
     *
     * @param failures at least 0
     */
    Duration delay(int failures) {
        long minNanos = min.toNanos();
        long maxNanos = max.toNanos();
        long nanos = minNanos;
        for (int i = 0; i < failures && nanos < maxNanos; i++) {
            nanos = nanos > maxNanos / 2 ? maxNanos : nanos * 2;
        }
        nanos = Math.min(nanos, maxNanos);
        long shortened = (long) (nanos * jitter * random.getAsDouble());
        return Duration.ofNanos(nanos - shortened);
    }
}
