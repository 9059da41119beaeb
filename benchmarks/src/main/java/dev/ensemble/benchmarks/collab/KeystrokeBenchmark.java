package dev.ensemble.benchmarks.collab;

import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.transport.secure.SecureTransport;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.automerge.Document;
import org.automerge.SyncState;

/**
 * Benchmark 3: bytes on the wire per keystroke in steady state. Two {@link SimulatedPeer}s share
 * the first {@code warmEdits} edits of a trace over a simulated network with 20 ms of latency;
 * then one of them types the next {@code keystrokes} edits of the trace (single characters at
 * the positions the author really typed them), one {@code spliceText} each, one every 150 ms of
 * virtual time (about 80 words a minute), and sync runs in between. Every frame both peers hand
 * to their transports is counted, framing included. For comparison the same keystrokes go
 * through the naive automerge-java sync loop between two raw documents with long-lived sync
 * states (sync message bytes only). Reports {@code result bytes-per-keystroke} and {@code ratio
 * bytes-per-keystroke <ours/150>}. Not thread-safe.
 *
 * <pre>{@code
 * new KeystrokeBenchmark(EditTrace.automergePaper(), 20_000, 2_000).run(new BenchmarkReport(System.out));
 * }</pre>
 */
public final class KeystrokeBenchmark {
    /** The target: average bytes on the wire per keystroke. */
    public static final double TARGET_BYTES = 150;
    /** Issue 17's target: average bytes per keystroke with end-to-end sessions. */
    public static final double SEALED_TARGET_BYTES = 180;
    /** One keystroke every 150 ms: a fast typist. */
    public static final Duration TYPING_INTERVAL = Duration.ofMillis(150);

    private static final Duration LATENCY = Duration.ofMillis(20);
    /** Keystrokes per default resync interval (2 s at one keystroke every 150 ms). */
    private static final int KEYSTROKES_PER_RESYNC =
            (int) (CollaborationSettings.DEFAULT_RESYNC_INTERVAL.toMillis() / TYPING_INTERVAL.toMillis());

    private static final int MAX_STEPS = 10_000_000;

    private final EditTrace trace;
    private final int warmEdits;
    private final int keystrokes;

    /**
     * @param trace the trace
     * @param warmEdits edits both peers share before counting starts
     * @param keystrokes edits typed and counted after them (the trace must have that many more)
     */
    public KeystrokeBenchmark(EditTrace trace, int warmEdits, int keystrokes) {
        if (keystrokes < 1 || warmEdits < 0 || warmEdits + keystrokes > trace.size()) {
            throw new IllegalArgumentException("need 0 <= warmEdits and 1 <= keystrokes with warmEdits + keystrokes <= "
                    + trace.size() + " (the trace's edits), was " + warmEdits + " + " + keystrokes);
        }
        for (int i = warmEdits; i < warmEdits + keystrokes; i++) {
            if (trace.deleteCount(i)
                            + trace.insert(i).codePointCount(0, trace.insert(i).length())
                    != 1) {
                throw new IllegalArgumentException("edit " + i + " of the trace is not a single-character keystroke");
            }
        }
        this.trace = trace;
        this.warmEdits = warmEdits;
        this.keystrokes = keystrokes;
    }

    /**
     * Sets up both rooms, types, and reports.
     *
     * @param report where the numbers go
     */
    public void run(BenchmarkReport report) {
        NetworkSimulator network = NetworkSimulator.builder()
                .seed(1)
                .traceCapacity(0)
                .conditions(LinkConditions.builder().latency(LATENCY).build())
                .build();
        long[] perKeystroke = new long[keystrokes];
        Traffic traffic;
        Traffic typed;
        try (SimulatedPeer typist = SimulatedPeer.start("typist", network);
                SimulatedPeer reader = SimulatedPeer.start("reader", network)) {
            network.runUntilQuiet(MAX_STEPS);
            typist.paper().actions().replay(trace, 0, warmEdits);
            network.runUntilQuiet(MAX_STEPS);
            String shared = trace.textAfter(warmEdits);
            TraceReplayBenchmark.checkText("typist before typing", typist.text(), shared);
            TraceReplayBenchmark.checkText("reader before typing", reader.text(), shared);
            typist.resetTraffic();
            reader.resetTraffic();
            long before = 0;
            for (int k = 0; k < keystrokes; k++) {
                int edit = warmEdits + k;
                typist.paper().actions().splice(trace.position(edit), trace.deleteCount(edit), trace.insert(edit));
                network.runFor(TYPING_INTERVAL);
                if ((k + 1) % KEYSTROKES_PER_RESYNC == 0) {
                    // The resync timer of both peers, in virtual time: it confirms pushed changes.
                    typist.paper().actions().runResync();
                    reader.paper().actions().runResync();
                }
                long now = typist.traffic().bytes() + reader.traffic().bytes();
                perKeystroke[k] = now - before;
                before = now;
            }
            network.runUntilQuiet(MAX_STEPS);
            typed = typist.traffic();
            traffic = typed.plus(reader.traffic());
            String after = trace.textAfter(warmEdits + keystrokes);
            TraceReplayBenchmark.checkText("typist after typing", typist.text(), after);
            TraceReplayBenchmark.checkText("reader after typing", reader.text(), after);
        }
        NaiveSync.Exchange naive = naive();
        Arrays.sort(perKeystroke);
        double average = (double) traffic.bytes() / keystrokes;
        report.note("bytes-per-keystroke: " + keystrokes + " keystrokes after " + warmEdits + " shared edits, "
                + "one per " + TYPING_INTERVAL.toMillis() + " ms, " + LATENCY.toMillis() + " ms latency; on the wire: "
                + traffic);
        report.note(String.format(
                Locale.ROOT,
                "bytes-per-keystroke: %.2f frames per keystroke; median %d B,"
                        + " max %d B; naive loop %.2f messages per keystroke",
                (double) traffic.frames() / keystrokes,
                perKeystroke[keystrokes / 2],
                perKeystroke[keystrokes - 1],
                (double) naive.messages() / keystrokes));
        report.note(String.format(
                Locale.ROOT,
                "bytes-per-keystroke: typist to reader %.1f B, reader to typist %.1f B",
                (double) typed.bytes() / keystrokes,
                (double) (traffic.bytes() - typed.bytes()) / keystrokes));
        report.result("bytes-per-keystroke", average, "bytes");
        report.result("bytes-per-keystroke-naive", (double) naive.bytes() / keystrokes, "bytes");
        report.ratio("bytes-per-keystroke", average / TARGET_BYTES);
        // With sessions every frame is sealed: the same plaintext, plus a session's fixed overhead per frame
        // (SecureTransport.OVERHEAD_BYTES; the ciphertext is as long as the plaintext), so this is exact.
        double sealed =
                (double) (traffic.bytes() + traffic.frames() * (long) SecureTransport.OVERHEAD_BYTES) / keystrokes;
        report.result("bytes-per-keystroke-sealed", sealed, "bytes");
        report.ratio("bytes-per-keystroke-sealed", sealed / SEALED_TARGET_BYTES);
    }

    /** The same keystrokes between two raw documents, syncing with the naive loop after each. */
    private NaiveSync.Exchange naive() {
        try (RawTextDocument typist = RawTextDocument.create()) {
            typist.replay(trace, 0, warmEdits);
            Document reader = new Document();
            SyncState typistOfReader = new SyncState();
            SyncState readerOfTypist = new SyncState();
            try {
                NaiveSync.run(typist.document(), typistOfReader, reader, readerOfTypist);
                NaiveSync.Exchange total = new NaiveSync.Exchange(0, 0);
                for (int k = 0; k < keystrokes; k++) {
                    typist.replay(trace, warmEdits + k, warmEdits + k + 1);
                    total = total.plus(NaiveSync.run(typist.document(), typistOfReader, reader, readerOfTypist));
                }
                return total;
            } finally {
                typistOfReader.free();
                readerOfTypist.free();
                reader.free();
            }
        }
    }
}
