package dev.ensemble.benchmarks.core;

import dev.ensemble.core.inspect.InspectionAccess;
import java.util.Arrays;

/**
 * What switching inspection on costs while nobody is attached: ping-pong throughput of ours with the
 * system's local inspection socket open ({@code ActorSystem.Builder.inspect}) against ours without it,
 * in one JVM. The two systems take turns round by round, and the order within a round alternates, so
 * load from outside (other builds on a shared machine) and the order of the rounds fall on both alike.
 * Each round delivers {@value PingPongBenchmark#MESSAGES_PER_ROUND} messages split evenly over the
 * pairs. Reports the median round of each, and the median of the per-round ratios on/off: the two
 * rounds of a pair run back to back, so each ratio compares the two under the same outside load, and
 * its median is steadier on a loaded machine than the ratio of the two medians.
 *
 * <p>Two identical systems in one JVM are not equally fast: with inspection off on both sides (the
 * {@code a-a} calibration), the median per-round ratio of one JVM was anywhere from 0.89 to 1.00 on
 * this machine, an effect of the instance (which system was made first, where its pool's structures
 * landed) that lasts for the JVM's life. {@link CoreSuite} therefore runs several JVMs, alternating
 * which system is made first, and takes the median over all of them.
 *
 * <p>Usage: {@code InspectRace <warm-up rounds> <measured rounds> <pairs> on-first|off-first [a-a]};
 * prints {@code result pingpong-<pairs>-pairs-msgs-per-s-inspect-on}, {@code ...-inspect-off} and
 * {@code result inspect-on-vs-off-pingpong-<pairs>-paired} lines; with {@code a-a} the "on" system
 * has inspection off too (to see the harness's own spread).
 */
public final class InspectRace {
    /** Result names end in these; {@link CoreSuite} divides on by off. */
    static final String ON = "inspect-on";

    static final String OFF = "inspect-off";

    /** The result name of the median per-round ratio, before the pair count. */
    static final String PAIRED = "inspect-on-vs-off-pingpong-";

    private InspectRace() {}

    /**
     * @param args warm-up rounds, measured rounds, pairs
     * @throws Exception if a round times out
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4
                || args.length > 5
                || !(args[3].equals("on-first") || args[3].equals("off-first"))
                || (args.length == 5 && !args[4].equals("a-a"))) {
            throw new IllegalArgumentException(
                    "usage: InspectRace <warm-up rounds> <measured rounds> <pairs> on-first|off-first [a-a]");
        }
        boolean onFirst = args[3].equals("on-first");
        InspectionAccess onAccess = args.length == 5 ? null : InspectionAccess.READ;
        int warmup = Integer.parseInt(args[0]);
        int measured = Integer.parseInt(args[1]);
        int pairs = Integer.parseInt(args[2]);
        if (pairs < 1 || PingPongBenchmark.MESSAGES_PER_ROUND % pairs != 0) {
            throw new IllegalArgumentException(
                    "pairs must divide " + PingPongBenchmark.MESSAGES_PER_ROUND + ", but was " + pairs);
        }
        int hitsPerPair = PingPongBenchmark.MESSAGES_PER_ROUND / pairs;
        double[] on = new double[measured];
        double[] off = new double[measured];
        PingPong inspected = null;
        PingPong plain = null;
        try {
            if (onFirst) {
                inspected = new EnsemblePingPong(pairs, onAccess);
                plain = new EnsemblePingPong(pairs);
            } else {
                plain = new EnsemblePingPong(pairs);
                inspected = new EnsemblePingPong(pairs, onAccess);
            }
            for (int round = 0; round < warmup; round++) {
                inspected.play(hitsPerPair);
                plain.play(hitsPerPair);
            }
            for (int round = 0; round < measured; round++) {
                if (round % 2 == 0) {
                    on[round] = rate(inspected, hitsPerPair);
                    off[round] = rate(plain, hitsPerPair);
                } else {
                    off[round] = rate(plain, hitsPerPair);
                    on[round] = rate(inspected, hitsPerPair);
                }
            }
        } finally {
            if (inspected != null) {
                inspected.close();
            }
            if (plain != null) {
                plain.close();
            }
        }
        String name = "pingpong-" + pairs + (pairs == 1 ? "-pair" : "-pairs") + "-msgs-per-s-";
        report(name + ON, on);
        report(name + OFF, off);
        double[] ratios = new double[measured];
        for (int round = 0; round < measured; round++) {
            ratios[round] = on[round] / off[round];
        }
        Arrays.sort(ratios);
        System.out.printf(
                "# per-round ratios on/off: min %.3f, quartiles %.3f %.3f %.3f, max %.3f%n",
                ratios[0], ratios[measured / 4], ratios[measured / 2], ratios[3 * measured / 4], ratios[measured - 1]);
        System.out.printf("result %s%d-paired %.4f%n", PAIRED, pairs, ratios[measured / 2]);
    }

    private static double rate(PingPong players, int hitsPerPair) throws Exception {
        long started = System.nanoTime();
        players.play(hitsPerPair);
        long elapsed = System.nanoTime() - started;
        return PingPongBenchmark.MESSAGES_PER_ROUND / (elapsed / 1e9);
    }

    private static void report(String name, double[] rates) {
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        System.out.printf(
                "# %s: %d rounds, min %.0f, median %.0f, max %.0f%n", name, n, sorted[0], sorted[n / 2], sorted[n - 1]);
        System.out.printf("result %s %.0f%n", name, sorted[n / 2]);
    }
}
