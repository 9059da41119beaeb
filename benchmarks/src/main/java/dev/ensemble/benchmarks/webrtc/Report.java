package dev.ensemble.benchmarks.webrtc;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lines of the WebRTC suite, in the format of the other suites, printed as they come and kept
 * for tests:
 *
 * <pre>
 *   result webrtc-rtt-p99 412.3 us          a raw number with its unit
 *   ratio webrtc-rtt-p99 0.61               WebRTC divided by the WebSocket relay
 *   target webrtc-rtt-p99-us 412.30 &lt;= 1000.00 met
 *   # context for a reader
 * </pre>
 *
 * <p>Not thread-safe: the harness thread writes.
 */
final class Report {

    private final PrintStream out;
    private final Map<String, Double> results = new LinkedHashMap<>();
    private final Map<String, Double> ratios = new LinkedHashMap<>();
    private final List<String> targets = new ArrayList<>();

    /** @param out where lines are printed, or {@code null} to only keep them */
    Report(PrintStream out) {
        this.out = out;
    }

    void result(String name, double value, String unit) {
        results.put(name, value);
        print(String.format(Locale.ROOT, "result %s %.1f %s", name, value, unit));
    }

    void ratio(String name, double value) {
        ratios.put(name, value);
        print(String.format(Locale.ROOT, "ratio %s %.2f", name, value));
    }

    /** Prints whether {@code value} is at most {@code limit}, the way the core suite prints its targets. */
    void targetAtMost(String what, double value, double limit) {
        String line = String.format(
                Locale.ROOT, "target %s %.2f <= %.2f %s", what, value, limit, value <= limit ? "met" : "NOT MET");
        targets.add(line);
        print(line);
    }

    void note(String text) {
        print("# " + text);
    }

    /** The value of {@code result <name>}, or {@code null} if it was not reported. */
    Double result(String name) {
        return results.get(name);
    }

    /** The value of {@code ratio <name>}, or {@code null} if it was not reported. */
    Double ratio(String name) {
        return ratios.get(name);
    }

    List<String> targets() {
        return List.copyOf(targets);
    }

    private void print(String line) {
        if (out != null) {
            out.println(line);
            out.flush();
        }
    }
}
