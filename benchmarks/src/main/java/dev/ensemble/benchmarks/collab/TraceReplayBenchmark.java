package dev.ensemble.benchmarks.collab;

import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
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
 * same warm-up. Both start from a fresh document each repetition and take turns every
 * {@value #CHUNK} edits, so that the machine's slow spells fall on both alike; reading the final
 * text is timed. Reports the medians and {@code ratio trace-replay <ours/raw>}. Not thread-safe;
 * run one at a time.
 *
 * <p>One actor system serves every repetition (a fresh actor is spawned for each, untimed), as
 * one long-lived thread serves raw's: glibc gives each new thread's native allocations an arena
 * that starts empty and is grown a page range at a time, so a fresh system per repetition made
 * ours pay about four times raw's {@code mprotect} calls and a third more page faults
 * (docs/BENCHMARKS.md), a cost of starting threads, not of the actor.
 *
 * <pre>{@code
 * new TraceReplayBenchmark(EditTrace.automergePaper(), 259_778, 5).run(new BenchmarkReport(System.out));
 * }</pre>
 */
public final class TraceReplayBenchmark {
    private static final Duration ASK_TIMEOUT = Duration.ofMinutes(10);
    /** Edits per turn of each side: about 0.2 s of raw's time, short next to a slow spell of the machine. */
    static final int CHUNK = 10_000;

    private final EditTrace trace;
    private final int edits;
    private final int repetitions;
    private final int chunk;
    private final String expected;
    /** How many actors this benchmark has spawned: each gets a name of its own. */
    private int spawned;

    /**
     * @param trace the trace
     * @param edits how many of its edits to replay, from the start
     * @param repetitions measured runs of each side, at least 1
     */
    public TraceReplayBenchmark(EditTrace trace, int edits, int repetitions) {
        this(trace, edits, repetitions, CHUNK);
    }

    /** As the public constructor, with the edits per turn of each side; for tests. */
    TraceReplayBenchmark(EditTrace trace, int edits, int repetitions, int chunk) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be >= 1, was " + repetitions);
        }
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, was " + chunk);
        }
        this.trace = trace;
        this.edits = edits;
        this.repetitions = repetitions;
        this.chunk = chunk;
        this.expected = trace.textAfter(edits);
    }

    /**
     * Warms up both sides, measures them alternately and reports.
     *
     * @param report where the numbers go
     */
    public void run(BenchmarkReport report) {
        try (ActorSystem system =
                ActorSystem.builder("trace-replay").askTimeout(ASK_TIMEOUT).start()) {
            run(system, report);
        }
    }

    private void run(ActorSystem system, BenchmarkReport report) {
        int warmup = Math.min(edits, 50_000);
        for (int round = 0; round < 2; round++) {
            Run[] warm = interleaved(system, warmup, round % 2 == 0);
            checkText("warm-up, raw", warm[0].text, trace.textAfter(warmup));
            checkText("warm-up, actor", warm[1].text, trace.textAfter(warmup));
        }
        long[] rawNanos = new long[repetitions];
        long[] oursNanos = new long[repetitions];
        long[] rawCpu = new long[repetitions];
        long[] oursCpu = new long[repetitions];
        for (int rep = 0; rep < repetitions; rep++) {
            Run[] runs = interleaved(system, edits, rep % 2 == 0);
            Run raw = runs[0];
            Run ours = runs[1];
            checkText("raw automerge-java", raw.text, expected);
            checkText("CollaborationActor", ours.text, expected);
            rawNanos[rep] = raw.nanos;
            oursNanos[rep] = ours.nanos;
            rawCpu[rep] = raw.cpuNanos;
            oursCpu[rep] = ours.cpuNanos;
            report.note(String.format(
                    Locale.ROOT,
                    "trace-replay repetition %d: raw %.1f ms (cpu %.1f ms)," + " ours %.1f ms (cpu %.1f ms)",
                    rep + 1,
                    Stopwatch.millis(raw.nanos),
                    Stopwatch.millis(raw.cpuNanos),
                    Stopwatch.millis(ours.nanos),
                    Stopwatch.millis(ours.cpuNanos)));
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

    private record Run(long nanos, long cpuNanos, String text) {}

    /** What one side has spent so far in a repetition. */
    private static final class Tally {
        long nanos;
        long cpuNanos;
        String text;

        void add(long startNanos, long startCpu) {
            nanos += System.nanoTime() - startNanos;
            cpuNanos += Stopwatch.processCpuNanos() - startCpu;
        }

        Run run() {
            return new Run(nanos, cpuNanos, text);
        }
    }

    /**
     * One repetition: a fresh raw document and a fresh actor replay the first {@code count} edits
     * in chunks of {@code chunk} edits, taking turns chunk by chunk (who goes first alternates), so a
     * slow spell of the machine falls on both alike. Each side's time is the sum of its chunks;
     * an actor's chunk ends when an ask after its last tell is answered, and both sides read the
     * text at the end of their last chunk.
     *
     * @return raw's run, then ours
     */
    private Run[] interleaved(ActorSystem system, int count, boolean rawFirst) {
        Stopwatch.settleHeap();
        ActorToken<PaperActions, Paper> token = ActorToken.of("paper-" + (++spawned), PaperActions.class, Paper.class);
        ActorClient<PaperActions, Paper> paper = system.spawn(
                token,
                () -> new PaperActor(CollaborationSettings.builder(SimulatedPeer.DOCUMENT_ID, Paper.class, Paper.EMPTY)
                        .build()),
                ActorProps.defaults());
        try (RawTextDocument raw = RawTextDocument.create()) {
            PaperActions actions = paper.actions();
            await(actions.caughtUp(), "start");
            Tally rawTally = new Tally();
            Tally oursTally = new Tally();
            for (int from = 0, turn = 0; from < count; from += chunk, turn++) {
                int to = Math.min(count, from + chunk);
                if (rawFirst == (turn % 2 == 0)) {
                    rawChunk(raw, from, to, to == count, rawTally);
                    oursChunk(actions, from, to, to == count, oursTally);
                } else {
                    oursChunk(actions, from, to, to == count, oursTally);
                    rawChunk(raw, from, to, to == count, rawTally);
                }
            }
            return new Run[] {rawTally.run(), oursTally.run()};
        } finally {
            await(system.stop(token), "stop");
        }
    }

    private void rawChunk(RawTextDocument raw, int from, int to, boolean last, Tally tally) {
        long cpu = Stopwatch.processCpuNanos();
        long start = System.nanoTime();
        raw.replay(trace, from, to);
        if (last) {
            tally.text = raw.text();
        }
        tally.add(start, cpu);
    }

    private void oursChunk(PaperActions actions, int from, int to, boolean last, Tally tally) {
        long cpu = Stopwatch.processCpuNanos();
        long start = System.nanoTime();
        for (int i = from; i < to; i++) {
            actions.splice(trace.position(i), trace.deleteCount(i), trace.insert(i));
        }
        if (last) {
            tally.text = await(actions.text(), "answer the final ask");
        } else {
            await(actions.caughtUp(), "catch up with a turn of edits");
        }
        tally.add(start, cpu);
    }

    /** Waits for the CollaborationActor; {@code what} names the wait in the error ("answer the final ask"). */
    private static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the CollaborationActor to " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the CollaborationActor did not " + what + ": " + e, e);
        }
    }

    static void checkText(String side, String actual, String expected) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException("the " + side + " replay ended at the wrong text: expected "
                    + expected.length() + " characters, got "
                    + (actual == null
                            ? "none"
                            : actual.length() + " characters differing from index "
                                    + firstDifference(actual, expected)));
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
