package dev.ensemble.benchmarks.core;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Pairs of ping-pong players on one actor runtime. A round bounces one ball in every pair at
 * once and returns when every pair has finished. Call from one harness thread.
 */
interface PingPong extends AutoCloseable {
    /** How long a round may take before the harness declares a message lost. */
    Duration ROUND_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Plays one round.
     *
     * @param hitsPerPair messages delivered in each pair, the kick-off included, at least 1
     */
    void play(int hitsPerPair) throws InterruptedException, TimeoutException;

    @Override
    void close();

    /**
     * @param runtime {@code ours} or {@code pekko}
     * @param pairs how many pairs play at once
     */
    static PingPong create(String runtime, int pairs) {
        return switch (runtime) {
            case Runtimes.OURS -> new EnsemblePingPong(pairs);
            case Runtimes.PEKKO -> new PekkoPingPong(pairs);
            default -> throw Runtimes.unknown(runtime);
        };
    }
}
