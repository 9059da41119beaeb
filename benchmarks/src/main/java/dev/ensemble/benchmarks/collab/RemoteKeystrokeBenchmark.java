package dev.ensemble.benchmarks.collab;

import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import java.util.Locale;
import org.automerge.ChangeHash;
import org.automerge.Document;

/**
 * {@code ratio remote-keystroke-100k}: the cost of one remote one-character change on a document
 * that already holds the whole automerge-paper text (104,852 chars), ours against raw
 * automerge-java's apply.
 *
 * <p>Both sides first hold the whole trace, one change per edit (ours: replayed through the
 * author's actor and synced to the reader; raw: a document A and a copy B loaded from A's save).
 * Then the same keystrokes go to both, one at a time and interleaved: the author (or A) inserts one
 * character in the middle of the text, untimed; timed is what the receiving side does with it.
 * Ours: {@code runUntilQuiet} of the simulator, which delivers the author's frame to the reader,
 * whose actor applies it and publishes its view (and anything the reader sends back). Raw:
 * {@code applyEncodedChanges} of A's new change on B. The first keystrokes warm up and are not
 * counted; the ratio is of the medians per keystroke. Driven by one thread.
 */
final class RemoteKeystrokeBenchmark {
    private static final int MAX_STEPS = 50_000_000;
    /**
     * Keystrokes typed before any is counted. The reader's path for a pushed keystroke is new to
     * the JIT when typing starts (the base text arrived in one batch), and the JIT compiles a
     * method fully after about 10,000 calls: with 300 warm-up keystrokes the median measured
     * partly interpreted code (55 µs a keystroke, against 28 µs once compiled). Raw apply is
     * native code, warm from the start.
     */
    private static final int WARM_UP = 10_000;

    private final EditTrace trace;
    private final int baseEdits;
    private final int keystrokes;
    private final int warmUp;

    /**
     * @param trace the trace
     * @param baseEdits how much of it both sides hold before typing (the whole trace for the 100k text)
     * @param keystrokes keystrokes measured
     */
    RemoteKeystrokeBenchmark(EditTrace trace, int baseEdits, int keystrokes) {
        this.trace = trace;
        this.baseEdits = baseEdits;
        this.keystrokes = keystrokes;
        this.warmUp = WARM_UP;
    }

    void run(BenchmarkReport report) {
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(1)
                .traceCapacity(0)
                .conditions(LinkConditions.PERFECT)
                .build();
        long[] oursNanos = new long[keystrokes];
        long[] rawNanos = new long[keystrokes];
        try (SimulatedPeer author = SimulatedPeer.start("author", network);
                SimulatedPeer reader = SimulatedPeer.start("reader", network);
                RawTextDocument a = RawTextDocument.create()) {
            network.runUntilQuiet(MAX_STEPS);
            author.paper().actions().replay(trace, 0, baseEdits);
            network.runUntilQuiet(MAX_STEPS);
            String full = trace.textAfter(baseEdits);
            TraceReplayBenchmark.checkText("reader before typing", reader.text(), full);
            a.replay(trace, 0, baseEdits);
            Document b = Document.load(a.document().save());
            try {
                StringBuilder expected = new StringBuilder(full);
                PaperActions typist = author.paper().actions();
                for (int k = -warmUp; k < keystrokes; k++) {
                    int at = expected.length() / 2 + (k % 50);
                    String key = String.valueOf((char) ('a' + Math.floorMod(k, 26)));
                    expected.insert(at, key);

                    typist.splice(at, 0, key);
                    long started = System.nanoTime();
                    network.runUntilQuiet(MAX_STEPS);
                    long ours = System.nanoTime() - started;

                    ChangeHash[] heads = a.document().getHeads();
                    a.splice(at, key);
                    byte[] change = a.document().encodeChangesSince(heads);
                    started = System.nanoTime();
                    b.applyEncodedChanges(change);
                    long raw = System.nanoTime() - started;
                    if (k >= 0) {
                        oursNanos[k] = ours;
                        rawNanos[k] = raw;
                    }
                }
                TraceReplayBenchmark.checkText("reader after typing", reader.text(), expected.toString());
                TraceReplayBenchmark.checkText(
                        "raw B after typing", b.text(a.textId()).orElseThrow(), expected.toString());
            } finally {
                b.free();
            }
        }
        double ours = Stopwatch.median(oursNanos);
        double raw = Stopwatch.median(rawNanos);
        report.note(String.format(
                Locale.ROOT,
                "remote-keystroke-100k: %d keystrokes after %d warm-up ones on a %d-char text; median ours %.1f us,"
                        + " raw apply %.1f us",
                keystrokes,
                warmUp,
                trace.textAfter(baseEdits).length(),
                ours / 1e3,
                raw / 1e3));
        report.result("remote-keystroke-100k-ours", ours / 1e3, "us");
        report.result("remote-keystroke-100k-raw", raw / 1e3, "us");
        report.ratio("remote-keystroke-100k", ours / raw);
    }
}
