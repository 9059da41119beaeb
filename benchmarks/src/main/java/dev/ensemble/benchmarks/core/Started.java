package dev.ensemble.benchmarks.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts actors whose start hook (ours) or setup (Pekko) has run, so that spawning is timed up
 * to the point where every actor is live. Static, so that it costs the actors no field.
 */
final class Started {
    private static final LongAdder COUNT = new LongAdder();

    private Started() {}

    static void one() {
        COUNT.increment();
    }

    static long count() {
        return COUNT.sum();
    }
}
