package dev.ensemble.benchmarks.collab;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the collaboration benchmarks side by side with their comparators in one JVM and prints
 * {@code ratio} and {@code result} lines (see {@link BenchmarkReport}):
 * <ol>
 *   <li>trace replay through a CollaborationActor vs raw automerge-java
 *       ({@link TraceReplayBenchmark});</li>
 *   <li>cold join of the replayed document by an empty peer vs the naive sync loop
 *       ({@link ColdJoinBenchmark});</li>
 *   <li>bytes on the wire per keystroke in steady state ({@link KeystrokeBenchmark});</li>
 *   <li>resync intervals until four peers hold identical documents after a healed partition on
 *       a lossy network ({@link CatchUpBenchmark});</li>
 *   <li>the trace one edit per message to an actor whose changes reach a second peer after each
 *       edit vs raw automerge-java ({@link EditStreamBenchmark});</li>
 *   <li>one remote keystroke on the whole paper text vs raw apply ({@link RemoteKeystrokeBenchmark});</li>
 *   <li>what each native call on a remote keystroke's path costs, against the apply
 *       ({@link NativeCostsBenchmark}).</li>
 * </ol>
 * The trace is automerge-paper by Martin Kleppmann (CC BY 4.0), via josephg/editing-traces.
 *
 * <pre>
 * java -cp CLASSPATH dev.ensemble.benchmarks.collab.CollabSuite [--quick] [--only NAME] [--trace FILE.json.gz]
 * </pre>
 * {@code --only} runs one benchmark of {@link #BENCHMARKS} (for profiling one of them).
 */
public final class CollabSuite {
    /** The names {@code --only} accepts. */
    public static final List<String> BENCHMARKS = List.of(
            "trace-replay", "cold-join", "keystroke", "catch-up", "edit-stream", "remote-keystroke", "native-costs");

    private CollabSuite() {}

    /**
     * The sizes of one run of the suite.
     *
     * @param replayEdits edits replayed by the trace-replay benchmark
     * @param replayRepetitions measured runs of each side of trace replay
     * @param joinEdits edits in the document an empty peer joins
     * @param joinRepetitions measured cold joins of each side
     * @param warmEdits edits both peers share before keystrokes are counted
     * @param keystrokes keystrokes counted
     * @param catchUpEdits edits each of the four peers of the catch-up benchmark replays
     * @param streamEdits edits of the edit-stream benchmark
     * @param streamRepetitions measured runs of each side of the edit stream
     * @param remoteKeystrokes keystrokes measured by the remote-keystroke benchmark
     */
    public record Sizes(
            int replayEdits,
            int replayRepetitions,
            int joinEdits,
            int joinRepetitions,
            int warmEdits,
            int keystrokes,
            int catchUpEdits,
            int streamEdits,
            int streamRepetitions,
            int remoteKeystrokes) {
        /**
         * @param trace the trace
         * @return the full run: the whole trace everywhere, and 77,000 edits in all for the catch-up
         */
        public static Sizes full(EditTrace trace) {
            return new Sizes(
                    trace.size(),
                    5,
                    trace.size(),
                    3,
                    20_000,
                    2_000,
                    Math.min(trace.size(), 19_250),
                    trace.size(),
                    3,
                    2_000);
        }

        /**
         * @param trace the trace
         * @return a run of about a minute: the whole trace once for the cold join, a prefix elsewhere
         */
        public static Sizes quick(EditTrace trace) {
            return new Sizes(
                    Math.min(trace.size(), 60_000),
                    3,
                    trace.size(),
                    1,
                    5_000,
                    500,
                    Math.min(trace.size(), 4_000),
                    Math.min(trace.size(), 30_000),
                    1,
                    500);
        }
    }

    /**
     * Runs the suite.
     *
     * @param args {@code --quick} for a shorter run, {@code --trace FILE} for another trace of the
     *     same format
     */
    public static void main(String[] args) {
        boolean quick = false;
        Path traceFile = null;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--trace" -> {
                    if (i + 1 == args.length) {
                        usage("--trace needs a file");
                    }
                    traceFile = Path.of(args[++i]);
                }
                case "--only" -> {
                    if (i + 1 == args.length || !BENCHMARKS.contains(args[i + 1])) {
                        usage("--only needs one of " + BENCHMARKS);
                    }
                    only = args[++i];
                }
                default -> usage("unknown argument \"" + args[i] + "\"");
            }
        }
        EditTrace trace = traceFile == null ? EditTrace.automergePaper() : EditTrace.load(traceFile);
        run(trace, quick ? Sizes.quick(trace) : Sizes.full(trace), only, new BenchmarkReport(System.out));
    }

    /**
     * Runs every benchmark with the given sizes.
     *
     * @param trace the trace
     * @param sizes how much of it each benchmark uses
     * @param report where the numbers go
     */
    public static void run(EditTrace trace, Sizes sizes, BenchmarkReport report) {
        run(trace, sizes, null, report);
    }

    /**
     * Runs one benchmark, or all of them.
     *
     * @param trace the trace
     * @param sizes how much of it each benchmark uses
     * @param only one of {@link #BENCHMARKS}; {@code null} for all
     * @param report where the numbers go
     */
    public static void run(EditTrace trace, Sizes sizes, String only, BenchmarkReport report) {
        if (only != null && !BENCHMARKS.contains(only)) {
            throw new IllegalArgumentException("no benchmark is called \"" + only + "\"; choose one of " + BENCHMARKS);
        }
        report.note("collab suite: trace automerge-paper by Martin Kleppmann (CC BY 4.0), via josephg/editing-traces");
        report.note("java " + System.getProperty("java.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " processors; " + sizes);
        if (only == null || only.equals("trace-replay")) {
            new TraceReplayBenchmark(trace, sizes.replayEdits(), sizes.replayRepetitions()).run(report);
        }
        if (only == null || only.equals("cold-join")) {
            new ColdJoinBenchmark(trace, sizes.joinEdits(), sizes.joinRepetitions()).run(report);
        }
        if (only == null || only.equals("keystroke")) {
            new KeystrokeBenchmark(trace, sizes.warmEdits(), sizes.keystrokes()).run(report);
        }
        if (only == null || only.equals("catch-up")) {
            new CatchUpBenchmark(trace, sizes.catchUpEdits(), 1).run(report);
        }
        if (only == null || only.equals("edit-stream")) {
            new EditStreamBenchmark(trace, sizes.streamEdits(), sizes.streamRepetitions()).run(report);
        }
        if (only == null || only.equals("remote-keystroke")) {
            new RemoteKeystrokeBenchmark(trace, sizes.joinEdits(), sizes.remoteKeystrokes()).run(report);
        }
        if (only == null || only.equals("native-costs")) {
            new NativeCostsBenchmark(trace, sizes.joinEdits(), sizes.remoteKeystrokes()).run(report);
        }
    }

    private static void usage(String problem) {
        PrintStream err = System.err;
        err.println(problem);
        err.println("usage: java -cp CLASSPATH dev.ensemble.benchmarks.collab.CollabSuite [--quick] [--only NAME]"
                + " [--trace FILE.json.gz]");
        System.exit(2);
    }
}
