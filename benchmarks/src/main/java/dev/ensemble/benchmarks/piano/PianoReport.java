package dev.ensemble.benchmarks.piano;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The lines of the piano suite, in the format of the other suites, printed as they come and kept
 * for tests:
 *
 * <pre>
 *   result piano-latency-p99-ms-ours 3.990 ms        a raw number with its unit
 *   ratio piano-latency-p99-lower-better 0.53        ours divided by the bare transports
 *   target relay-note-latency-p99 3.99 ms &lt;= 5 ms met
 *   # context for a reader
 * </pre>
 *
 * <p>Not thread-safe: the harness thread writes.
 */
final class PianoReport {
    private final PrintStream out;
    private final Map<String, Double> results = new LinkedHashMap<>();
    private final Map<String, Double> ratios = new LinkedHashMap<>();
    private final Map<String, Boolean> targets = new LinkedHashMap<>();

    /** @param out where lines are printed, or {@code null} to only keep them */
    PianoReport(PrintStream out) {
        this.out = out;
    }

    void milliseconds(String name, double ms) {
        results.put(name, ms);
        print(String.format(Locale.ROOT, "result %s %.3f ms", name, ms));
    }

    void count(String name, long value, String unit) {
        results.put(name, (double) value);
        print(String.format(Locale.ROOT, "result %s %d %s", name, value, unit));
    }

    void ratio(String name, double value) {
        ratios.put(name, value);
        print(String.format(Locale.ROOT, "ratio %s %.2f", name, value));
    }

    void targetAtMostMs(String name, double ms, double limitMs) {
        target(name, ms <= limitMs, String.format(Locale.ROOT, "%.2f ms <= %s ms", ms, trim(limitMs)));
    }

    void targetAtMostRatio(String name, double ratio, double limit) {
        target(name, ratio <= limit, String.format(Locale.ROOT, "%.2f <= %s", ratio, trim(limit)));
    }

    void targetZero(String name, long value, String unit) {
        target(name, value == 0, value + " " + unit + " == 0");
    }

    void note(String text) {
        print("# " + text);
    }

    /** @return the value of {@code result <name>}, or {@code null} if it was not reported */
    Double result(String name) {
        return results.get(name);
    }

    /** @return the value of {@code ratio <name>}, or {@code null} if it was not reported */
    Double ratio(String name) {
        return ratios.get(name);
    }

    /** @return whether {@code target <name>} was met, or {@code null} if it was not reported */
    Boolean target(String name) {
        return targets.get(name);
    }

    private void target(String name, boolean met, String comparison) {
        targets.put(name, met);
        print("target " + name + " " + comparison + " " + (met ? "met" : "NOT MET"));
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private void print(String line) {
        if (out != null) {
            out.println(line);
            out.flush();
        }
    }
}
