package dev.ensemble.benchmarks.collab;

import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import java.util.Locale;
import org.automerge.ChangeHash;
import org.automerge.Document;

/**
 * {@code ratio edit-stream-2-peers}: the trace sent one edit per message to a
 * {@code CollaborationActor} whose changes reach a second peer over the simulator after each
 * edit, with both peers' views current at the end, against raw automerge-java doing the same work
 * (document A applies the edit, document B applies A's new change, the text read once at the end).
 *
 * <p>Ours: two {@link SimulatedPeer}s (actors on the calling thread) on a perfect simulator; per
 * edit one tell of {@code splice} to the author, then {@code runUntilQuiet}, so every edit is
 * published on both peers as it would be when edits arrive one by one. Raw: per edit a
 * transaction with {@code spliceText} on A, {@code encodeChangesSince(heads before)}, and
 * {@code applyEncodedChanges} on B. The sides alternate by repetition, after a warm-up of each
 * (up to 60,000 edits); the ratio is of the medians. Driven by one thread.
 */
final class EditStreamBenchmark {
    private static final int MAX_STEPS = 50_000_000;

    private final EditTrace trace;
    private final int edits;
    private final int repetitions;

    EditStreamBenchmark(EditTrace trace, int edits, int repetitions) {
        this.trace = trace;
        this.edits = edits;
        this.repetitions = repetitions;
    }

    void run(BenchmarkReport report) {
        // Ours runs through far more Java code than raw: a warm-up of 5,000 edits left the first
        // 30,000 measured edits of ours at three times their later cost per edit.
        int warmUp = Math.min(edits, 60_000);
        ours(warmUp);
        raw(warmUp);
        long[] oursNanos = new long[repetitions];
        long[] rawNanos = new long[repetitions];
        for (int r = 0; r < repetitions; r++) {
            if (r % 2 == 0) {
                oursNanos[r] = ours(edits);
                rawNanos[r] = raw(edits);
            } else {
                rawNanos[r] = raw(edits);
                oursNanos[r] = ours(edits);
            }
        }
        double ours = Stopwatch.median(oursNanos);
        double raw = Stopwatch.median(rawNanos);
        report.note(String.format(
                Locale.ROOT,
                "edit-stream-2-peers: %d edits one per message, %d repetitions; ours %.0f ms, raw %.0f ms (medians);"
                        + " %.1f us per edit ours, %.1f raw",
                edits,
                repetitions,
                Stopwatch.millis(ours),
                Stopwatch.millis(raw),
                ours / edits / 1e3,
                raw / edits / 1e3));
        report.result("edit-stream-2-peers-ours", Stopwatch.millis(ours), "ms");
        report.result("edit-stream-2-peers-raw", Stopwatch.millis(raw), "ms");
        report.ratio("edit-stream-2-peers", ours / raw);
    }

    private long ours(int count) {
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(1)
                .traceCapacity(0)
                .conditions(LinkConditions.PERFECT)
                .build();
        try (SimulatedPeer author = SimulatedPeer.start("author", network);
                SimulatedPeer reader = SimulatedPeer.start("reader", network)) {
            network.runUntilQuiet(MAX_STEPS);
            Stopwatch.settleHeap();
            long started = System.nanoTime();
            PaperActions actions = author.paper().actions();
            for (int i = 0; i < count; i++) {
                actions.splice(trace.position(i), trace.deleteCount(i), trace.insert(i));
                network.runUntilQuiet(MAX_STEPS);
            }
            String authorText = author.text();
            String readerText = reader.text();
            long elapsed = System.nanoTime() - started;
            String expected = trace.textAfter(count);
            TraceReplayBenchmark.checkText("author", authorText, expected);
            TraceReplayBenchmark.checkText("reader", readerText, expected);
            return elapsed;
        }
    }

    private long raw(int count) {
        try (RawTextDocument a = RawTextDocument.create()) {
            Document b = Document.load(a.document().save());
            try {
                Stopwatch.settleHeap();
                long started = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    ChangeHash[] heads = a.document().getHeads();
                    a.replay(trace, i, i + 1);
                    b.applyEncodedChanges(a.document().encodeChangesSince(heads));
                }
                String text = b.text(a.textId()).orElseThrow();
                long elapsed = System.nanoTime() - started;
                TraceReplayBenchmark.checkText("raw B", text, trace.textAfter(count));
                return elapsed;
            } finally {
                b.free();
            }
        }
    }
}
