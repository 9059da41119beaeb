package dev.ensemble.benchmarks.collab;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the benchmarks write their numbers, one line each, in the format the benchmark scripts
 * parse: {@code ratio <name> <value>} for a comparison (ours divided by the comparator or the
 * target), {@code result <name> <value> <unit>} for a raw number, and {@code # ...} for context.
 * Keeps every line for tests. Not thread-safe: one benchmark thread writes.
 *
 * <pre>{@code
 * BenchmarkReport report = new BenchmarkReport(System.out);
 * report.result("cold-join-bytes-ours", 181_230, "bytes");
 * report.ratio("cold-join-bytes", 0.02);
 * }</pre>
 */
public final class BenchmarkReport {
    private final PrintStream out;
    private final List<String> lines = new ArrayList<>();

    /**
     * @param out where lines are printed as they come, or {@code null} to only keep them
     */
    public BenchmarkReport(PrintStream out) {
        this.out = out;
    }

    /**
     * @param name what is compared, e.g. {@code trace-replay}
     * @param value ours divided by the comparator (lower is better)
     */
    public void ratio(String name, double value) {
        line("ratio " + name + " " + format(value));
    }

    /**
     * @param name what was measured
     * @param value the number
     * @param unit e.g. {@code ms}, {@code bytes}
     */
    public void result(String name, double value, String unit) {
        line("result " + name + " " + format(value) + " " + unit);
    }

    /**
     * @param text context for a reader, printed after {@code # }
     */
    public void note(String text) {
        line("# " + text);
    }

    private void line(String line) {
        lines.add(line);
        if (out != null) {
            out.println(line);
            out.flush();
        }
    }

    private static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /** @return every line so far, in order */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * @param kind {@code ratio} or {@code result}
     * @param name the measurement's name
     * @return its value, if it was reported
     */
    public Optional<Double> value(String kind, String name) {
        String prefix = kind + " " + name + " ";
        return lines.stream()
                .filter(line -> line.startsWith(prefix))
                .map(line -> Double.parseDouble(line.substring(prefix.length()).split(" ")[0]))
                .reduce((first, second) -> second);
    }
}
