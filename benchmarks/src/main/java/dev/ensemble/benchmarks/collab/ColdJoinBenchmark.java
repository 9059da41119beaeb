package dev.ensemble.benchmarks.collab;

import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.transport.PeerId;
import java.util.Locale;
import org.automerge.AmValue;
import org.automerge.Document;
import org.automerge.ObjectId;

/**
 * Benchmark 2: a document built by replaying a trace (one change per edit) reaches a peer that
 * has nothing. Ours: two {@link SimulatedPeer}s on a perfect simulated network; the bytes are
 * every frame both peers hand to their transports, framing included, from the connection until
 * the network is quiet, and the time is the wall time of that run (all actors run on the
 * benchmark's thread, so it is the work of both sides). The comparator is the naive sync loop of
 * raw automerge-java ({@link NaiveSync}) from a full document to an empty one, ending with the
 * newcomer reading its text, as ours ends with the newcomer's view published. Reports
 * {@code ratio cold-join-bytes}, {@code ratio cold-join-time} and {@code result
 * cold-join-bytes-ours}. Not thread-safe.
 *
 * <pre>{@code
 * new ColdJoinBenchmark(EditTrace.automergePaper(), 259_778, 3).run(new BenchmarkReport(System.out));
 * }</pre>
 */
public final class ColdJoinBenchmark {
    /** The target for the bytes of a cold join of the automerge-paper document. */
    public static final long TARGET_BYTES = 300_000;

    private static final int MAX_STEPS = 10_000_000;

    private final EditTrace trace;
    private final int edits;
    private final int repetitions;
    private final String expected;

    /**
     * @param trace the trace
     * @param edits how many of its edits the joined document holds
     * @param repetitions measured joins of each side, at least 1
     */
    public ColdJoinBenchmark(EditTrace trace, int edits, int repetitions) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be >= 1, was " + repetitions);
        }
        this.trace = trace;
        this.edits = edits;
        this.repetitions = repetitions;
        this.expected = trace.textAfter(edits);
    }

    /**
     * Builds both full documents (not timed), then measures joins alternately and reports.
     *
     * @param report where the numbers go
     */
    public void run(BenchmarkReport report) {
        NetworkSimulator network =
                NetworkSimulator.builder().seed(1).traceCapacity(0).build();
        try (SimulatedPeer author = SimulatedPeer.start("author", network);
                RawTextDocument raw = RawTextDocument.create()) {
            network.runUntilQuiet(MAX_STEPS);
            author.paper().actions().replay(trace, 0, edits);
            network.runUntilQuiet(MAX_STEPS);
            TraceReplayBenchmark.checkText("author", author.text(), expected);
            raw.replay(trace, 0, edits);

            long[] oursNanos = new long[repetitions];
            long[] naiveNanos = new long[repetitions];
            long[] oursCpu = new long[repetitions];
            long[] naiveCpu = new long[repetitions];
            Traffic traffic = null;
            NaiveSync.Exchange exchange = null;
            for (int rep = 0; rep < repetitions; rep++) {
                Stopwatch.settleHeap();
                long cpu = Stopwatch.processCpuNanos();
                long start = System.nanoTime();
                exchange = naiveJoin(raw.document());
                naiveNanos[rep] = System.nanoTime() - start;
                naiveCpu[rep] = Stopwatch.processCpuNanos() - cpu;

                Stopwatch.settleHeap();
                PeerId readerId;
                try (SimulatedPeer reader = SimulatedPeer.start("reader-" + rep, network)) {
                    readerId = reader.id();
                    author.resetTraffic();
                    cpu = Stopwatch.processCpuNanos();
                    start = System.nanoTime();
                    network.runUntilQuiet(MAX_STEPS);
                    oursNanos[rep] = System.nanoTime() - start;
                    oursCpu[rep] = Stopwatch.processCpuNanos() - cpu;
                    TraceReplayBenchmark.checkText("joining peer", reader.text(), expected);
                    traffic = author.traffic().plus(reader.traffic());
                }
                network.goOffline(readerId);
                network.runUntilQuiet(MAX_STEPS);
                report.note(String.format(
                        Locale.ROOT,
                        "cold-join repetition %d: naive %.1f ms (cpu %.1f ms)," + " ours %.1f ms (cpu %.1f ms)",
                        rep + 1,
                        Stopwatch.millis(naiveNanos[rep]),
                        Stopwatch.millis(naiveCpu[rep]),
                        Stopwatch.millis(oursNanos[rep]),
                        Stopwatch.millis(oursCpu[rep])));
            }
            report.note("cold-join ours on the wire: " + traffic);
            report.note("cold-join naive: " + exchange.messages() + " sync messages");
            double ours = Stopwatch.median(oursNanos);
            double naive = Stopwatch.median(naiveNanos);
            report.result("cold-join-edits", edits, "edits");
            report.result("cold-join-bytes-ours", traffic.bytes(), "bytes");
            report.result("cold-join-bytes-ours-snapshot", traffic.bytes() - syncBytes(traffic), "bytes");
            report.result("cold-join-bytes-ours-sync", syncBytes(traffic), "bytes");
            report.result("cold-join-bytes-naive", exchange.bytes(), "bytes");
            report.result("cold-join-time-ours", Stopwatch.millis(ours), "ms");
            report.result("cold-join-time-naive", Stopwatch.millis(naive), "ms");
            report.ratio("cold-join-bytes", (double) traffic.bytes() / exchange.bytes());
            report.ratio("cold-join-time", ours / naive);
            report.ratio("cold-join-bytes-target", (double) traffic.bytes() / TARGET_BYTES);
            if (Stopwatch.processCpuNanos() >= 0) {
                report.result("cold-join-time-ours-cpu", Stopwatch.millis(Stopwatch.median(oursCpu)), "ms");
                report.result("cold-join-time-naive-cpu", Stopwatch.millis(Stopwatch.median(naiveCpu)), "ms");
                report.ratio("cold-join-time-cpu", Stopwatch.median(oursCpu) / Stopwatch.median(naiveCpu));
            }
        }
    }

    /** Sync envelopes, whole or chunked: everything but the snapshot and its request. */
    private static long syncBytes(Traffic traffic) {
        long bytes = 0;
        for (String kind : new String[] {"sync", "chunk:sync"}) {
            Traffic.Kind counts = traffic.byKind().get(kind);
            bytes += counts == null ? 0 : counts.bytes();
        }
        return bytes;
    }

    /** The naive join: sync into an empty document until quiet, then read the text there. */
    private NaiveSync.Exchange naiveJoin(Document full) {
        Document empty = new Document();
        try {
            NaiveSync.Exchange exchange = NaiveSync.run(full, empty);
            AmValue text = empty.get(ObjectId.ROOT, "text")
                    .orElseThrow(() -> new IllegalStateException("the naive sync loop did not bring the text object"));
            TraceReplayBenchmark.checkText(
                    "naive joining peer",
                    empty.text(((AmValue.Text) text).getId()).orElseThrow(),
                    expected);
            return exchange;
        } finally {
            empty.free();
        }
    }
}
