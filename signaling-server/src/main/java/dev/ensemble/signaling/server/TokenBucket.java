package dev.ensemble.signaling.server;

/**
 * A token bucket for one connection and one message class. Thread-safe (synchronized): Java-WebSocket
 * decodes a connection on one worker thread, so the lock is uncontended in practice.
 */
final class TokenBucket {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long lastNanos;

    TokenBucket(RateLimit limit, long nowNanos) {
        this.perNano = limit.perSecond() / 1e9;
        this.burst = limit.burst();
        this.tokens = limit.burst();
        this.lastNanos = nowNanos;
    }

    synchronized boolean tryAcquire(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * perNano);
            lastNanos = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
