package dev.ensemble.transport.secure;

import java.time.Duration;
import java.util.Objects;

/**
 * INTERNAL API. How often a side sends a fresh init to a peer with which no session forms, and when
 * it gives up (docs/SECURITY.md, "Lost handshakes"): the first retry {@code first} after the first
 * init, each wait doubled up to {@code max}, and after {@code maxInits} inits whose waits all ran
 * out, no more. With the {@link #DEFAULT}: inits at 0, 2, 6, 14, 30, 60, 90 and 120 s, given up at
 * 150 s.
 *
 * @param first the wait after the first init
 * @param max the longest wait between two inits
 * @param maxInits how many inits a side sends before it gives up on a peer that answers none
 */
record RetryPolicy(Duration first, Duration max, int maxInits) {

    static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(30), 8);

    RetryPolicy {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException(
                    "retry waits must be positive with max >= first (got first " + first + ", max " + max + ")");
        }
        if (maxInits < 1) {
            throw new IllegalArgumentException("maxInits must be at least 1 (got " + maxInits + ")");
        }
    }

    /** The wait after the {@code n}th init (from 1): {@code first} doubled {@code n - 1} times, at most {@code max}. */
    Duration waitAfter(int n) {
        Duration wait = first;
        for (int i = 1; i < n && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }

    /** From the first init until the side gives up: the sum of every wait. */
    Duration giveUpAfter() {
        Duration total = Duration.ZERO;
        for (int n = 1; n <= maxInits; n++) {
            total = total.plus(waitAfter(n));
        }
        return total;
    }
}
