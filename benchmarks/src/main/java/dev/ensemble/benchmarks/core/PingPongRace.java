package dev.ensemble.benchmarks.core;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ping-pong throughput, ours against Pekko typed, taking turns round by round in one JVM: each
 * round delivers {@value PingPongBenchmark#MESSAGES_PER_ROUND} messages split evenly over the
 * pairs and takes tens of milliseconds, so load from outside the benchmark (other builds on a
 * shared machine) falls on both runtimes alike. Reports the median round of each runtime. The
 * same rounds run under JMH in {@link PingPongBenchmark}.
 *
 * <p>Usage: {@code PingPongRace <warm-up rounds> <measured rounds> <pairs>...}; prints
 * {@code result pingpong-<pairs>-...-msgs-per-s-<runtime>} lines.
 */
public final class PingPongRace {
    private static final String[] RUNTIMES = {Runtimes.OURS, Runtimes.PEKKO};

    private PingPongRace() {}

    /**
     * @param args warm-up rounds, measured rounds, then pair counts
     * @throws Exception if a round times out
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: PingPongRace <warm-up rounds> <measured rounds> <pairs>...");
        }
        int warmup = Integer.parseInt(args[0]);
        int measured = Integer.parseInt(args[1]);
        for (int p = 2; p < args.length; p++) {
            int pairs = Integer.parseInt(args[p]);
            if (pairs < 1 || PingPongBenchmark.MESSAGES_PER_ROUND % pairs != 0) {
                throw new IllegalArgumentException(
                        "pairs must divide " + PingPongBenchmark.MESSAGES_PER_ROUND + ", but was " + pairs);
            }
            race(pairs, warmup, measured);
        }
    }

    private static void race(int pairs, int warmup, int measured) throws Exception {
        int hitsPerPair = PingPongBenchmark.MESSAGES_PER_ROUND / pairs;
        Map<String, PingPong> players = new LinkedHashMap<>();
        Map<String, double[]> rates = new LinkedHashMap<>();
        try {
            for (String runtime : RUNTIMES) {
                players.put(runtime, PingPong.create(runtime, pairs));
                rates.put(runtime, new double[measured]);
            }
            for (int round = 0; round < warmup; round++) {
                for (String runtime : RUNTIMES) {
                    players.get(runtime).play(hitsPerPair);
                }
            }
            for (int round = 0; round < measured; round++) {
                for (String runtime : RUNTIMES) {
                    long started = System.nanoTime();
                    players.get(runtime).play(hitsPerPair);
                    long elapsed = System.nanoTime() - started;
                    rates.get(runtime)[round] = PingPongBenchmark.MESSAGES_PER_ROUND / (elapsed / 1e9);
                }
            }
        } finally {
            players.values().forEach(PingPong::close);
        }
        String name = "pingpong-" + pairs + (pairs == 1 ? "-pair" : "-pairs") + "-msgs-per-s-";
        for (String runtime : RUNTIMES) {
            double[] sorted = rates.get(runtime).clone();
            Arrays.sort(sorted);
            System.out.printf(
                    "# %s%s: %d rounds, min %.0f, median %.0f, max %.0f%n",
                    name, runtime, measured, sorted[0], sorted[measured / 2], sorted[measured - 1]);
            System.out.printf("result %s%s %.0f%n", name, runtime, sorted[measured / 2]);
        }
    }
}
