package dev.ensemble.benchmarks.collab;

import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Benchmark 1: a trace replayed through a {@link PaperActor} (one tell per edit, on the default
 * shared-pool dispatcher, then one ask for the text) against raw automerge-java (a
 * {@code Document}, {@code spliceText} and {@code commit} per edit), in the same JVM after the
 * same warm-up, alternating which goes first. Both start from a fresh document each repetition;
 * starting the actor system is not timed, reading the final text is. Reports the medians and
 * {@code ratio trace-replay <ours/raw>}. Not thread-safe; run one at a time.
 *
 * <pre>{@code
 * new TraceReplayBenchmark(EditTrace.automergePaper(), 259_778, 5).run(new BenchmarkReport(System.out));
 * }</pre>
 */
public final class TraceReplayBenchmark {
    private static final Duration ASK_TIMEOUT = Duration.ofMinutes(10);

    private final EditTrace trace;
    private final int edits;
    private final int repetitions;
    private final String expected;

    /**
     * @param trace the trace
     * @param edits how many of its edits to replay, from the start
     * @param repetitions measured runs of each side, at least 1
     */
    public TraceReplayBenchmark(EditTrace trace, int edits, int repetitions) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be >= 1, was " + repetitions);
        }
        this.trace = trace;
        this.edits = edits;
        this.repetitions = repetitions;
        this.expected = trace.textAfter(edits);
    }

    /**
     * Warms up both sides, measures them alternately and reports.
     *
     * @param report where the numbers go
     */
    public void run(BenchmarkReport report) {
        int warmup = Math.min(edits, 50_000);
        for (int round = 0; round < 2; round++) {
            checkText("warm-up, raw", raw(warmup).text, trace.textAfter(warmup));
            checkText("warm-up, actor", ours(warmup).text, trace.textAfter(warmup));
        }
        long[] rawNanos = new long[repetitions];
        long[] oursNanos = new long[repetitions];
        long[] rawCpu = new long[repetitions];
        long[] oursCpu = new long[repetitions];
        for (int rep = 0; rep < repetitions; rep++) {
            Run first = rep % 2 == 0 ? raw(edits) : ours(edits);
            Run second = rep % 2 == 0 ? ours(edits) : raw(edits);
            Run raw = rep % 2 == 0 ? first : second;
            Run ours = rep % 2 == 0 ? second : first;
            checkText("raw automerge-java", raw.text, expected);
            checkText("CollaborationActor", ours.text, expected);
            rawNanos[rep] = raw.nanos;
            oursNanos[rep] = ours.nanos;
            rawCpu[rep] = raw.cpuNanos;
            oursCpu[rep] = ours.cpuNanos;
            report.note(String.format(Locale.ROOT, "trace-replay repetition %d: raw %.1f ms (cpu %.1f ms),"
                            + " ours %.1f ms (cpu %.1f ms)", rep + 1, Stopwatch.millis(raw.nanos),
                    Stopwatch.millis(raw.cpuNanos), Stopwatch.millis(ours.nanos), Stopwatch.millis(ours.cpuNanos)));
        }
        double raw = Stopwatch.median(rawNanos);
        double ours = Stopwatch.median(oursNanos);
        report.result("trace-replay-edits", edits, "edits");
        report.result("trace-replay-raw", Stopwatch.millis(raw), "ms");
        report.result("trace-replay-ours", Stopwatch.millis(ours), "ms");
        report.ratio("trace-replay", ours / raw);
        if (Stopwatch.processCpuNanos() >= 0) {
            report.result("trace-replay-raw-cpu", Stopwatch.millis(Stopwatch.median(rawCpu)), "ms");
            report.result("trace-replay-ours-cpu", Stopwatch.millis(Stopwatch.median(oursCpu)), "ms");
            report.ratio("trace-replay-cpu", Stopwatch.median(oursCpu) / Stopwatch.median(rawCpu));
        }
    }

    private record Run(long nanos, long cpuNanos, String text) {
    }

    private Run raw(int count) {
        Stopwatch.settleHeap();
        try (RawTextDocument raw = RawTextDocument.create()) {
            long cpu = Stopwatch.processCpuNanos();
            long start = System.nanoTime();
            raw.replay(trace, 0, count);
            String text = raw.text();
            return new Run(System.nanoTime() - start, Stopwatch.processCpuNanos() - cpu, text);
        }
    }

    private Run ours(int count) {
        Stopwatch.settleHeap();
        try (ActorSystem system = ActorSystem.builder("trace-replay").askTimeout(ASK_TIMEOUT)
                .add(SimulatedPeer.PAPER, () -> new PaperActor(CollaborationSettings
                        .builder(SimulatedPeer.DOCUMENT_ID, Paper.class, Paper.EMPTY).build()))
                .start()) {
            ActorClient<PaperActions, Paper> paper = system.client(SimulatedPeer.PAPER);
            await(paper.actions().text());
            PaperActions actions = paper.actions();
            long cpu = Stopwatch.processCpuNanos();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                actions.splice(trace.position(i), trace.deleteCount(i), trace.insert(i));
            }
            String text = await(actions.text());
            return new Run(System.nanoTime() - start, Stopwatch.processCpuNanos() - cpu, text);
        }
    }

    private static String await(CompletableFuture<String> future) {
        try {
            return future.get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the replayed text", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the CollaborationActor did not answer the final ask: " + e, e);
        }
    }

    static void checkText(String side, String actual, String expected) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException("the " + side + " replay ended at the wrong text: expected "
                    + expected.length() + " characters, got " + (actual == null ? "none" : actual.length()
                    + " characters differing from index " + firstDifference(actual, expected)));
        }
    }

    private static int firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
