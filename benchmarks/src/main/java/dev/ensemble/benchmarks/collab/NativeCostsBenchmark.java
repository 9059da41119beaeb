package dev.ensemble.benchmarks.collab;

import java.util.Locale;
import org.automerge.ChangeHash;
import org.automerge.Cursor;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.PatchLog;

/**
 * What automerge-java charges for each native call on the path of a peer's keystroke, on a
 * document holding the whole paper text: the numbers the view's design rests on (docs/COLLABORATION.md,
 * "What a publication costs"). Each is a median over one-character changes made by a document A
 * and applied to two copies loaded from its save: copy B without a patch log, then its heads, the
 * text's length, and a cursor look-up of the new character; copy C with a patch log, then its
 * patches and the log freed.
 *
 * <p>Prints {@code result} lines per call and three ratios against the plain apply, measured in the
 * same run: {@code native-patches-vs-apply} (log, apply with it, patches, free: the cost of
 * telling where a change landed with patches), {@code native-lookup-vs-apply} (making a cursor
 * and looking it up: the same with a look-up) and {@code native-heads-vs-apply}. Driven by one
 * thread.
 */
final class NativeCostsBenchmark {
    private static final int WARM_UP = 1_000;

    private final EditTrace trace;
    private final int baseEdits;
    private final int keystrokes;

    /**
     * @param trace the trace
     * @param baseEdits how much of it the documents hold before the keystrokes
     * @param keystrokes keystrokes measured
     */
    NativeCostsBenchmark(EditTrace trace, int baseEdits, int keystrokes) {
        this.trace = trace;
        this.baseEdits = baseEdits;
        this.keystrokes = keystrokes;
    }

    void run(BenchmarkReport report) {
        String[] calls = {
            "apply",
            "getHeads",
            "length",
            "Cursor.fromString",
            "lookupCursorIndex",
            "new PatchLog",
            "apply with log",
            "makePatches",
            "PatchLog.free"
        };
        long[][] nanos = new long[calls.length][keystrokes];
        try (RawTextDocument a = RawTextDocument.create()) {
            a.replay(trace, 0, baseEdits);
            byte[] saved = a.document().save();
            Document b = Document.load(saved);
            Document c = Document.load(saved);
            ObjectId text = a.textId();
            try {
                for (int k = -WARM_UP; k < keystrokes; k++) {
                    int at = (int) (a.document().length(text) / 2) + k % 50;
                    ChangeHash[] heads = a.document().getHeads();
                    a.splice(at, String.valueOf((char) ('a' + Math.floorMod(k, 26))));
                    byte[] change = a.document().encodeChangesSince(heads);
                    String cursor = a.document().makeCursor(text, at).toString();
                    long[] t = new long[calls.length + 1];
                    int i = 0;
                    t[i++] = System.nanoTime();
                    b.applyEncodedChanges(change);
                    t[i++] = System.nanoTime();
                    b.getHeads();
                    t[i++] = System.nanoTime();
                    b.length(text);
                    t[i++] = System.nanoTime();
                    Cursor parsed = Cursor.fromString(cursor);
                    t[i++] = System.nanoTime();
                    long found = b.lookupCursorIndex(text, parsed);
                    t[i++] = System.nanoTime();
                    PatchLog log = new PatchLog();
                    t[i++] = System.nanoTime();
                    c.applyEncodedChanges(change, log);
                    t[i++] = System.nanoTime();
                    int patches = c.makePatches(log).size();
                    t[i++] = System.nanoTime();
                    log.free();
                    t[i] = System.nanoTime();
                    if (found != at || patches != 1) {
                        throw new IllegalStateException("keystroke " + k + " at " + at + ": the look-up found " + found
                                + ", the log held " + patches + " patches");
                    }
                    if (k >= 0) {
                        for (int call = 0; call < calls.length; call++) {
                            nanos[call][k] = t[call + 1] - t[call];
                        }
                    }
                }
            } finally {
                b.free();
                c.free();
            }
        }
        double[] median = new double[calls.length];
        StringBuilder line = new StringBuilder();
        for (int call = 0; call < calls.length; call++) {
            median[call] = Stopwatch.median(nanos[call]) / 1e3;
            line.append(String.format(Locale.ROOT, "%s%s %.1f", call == 0 ? "" : ", ", calls[call], median[call]));
        }
        report.note(String.format(
                Locale.ROOT,
                "native-costs: medians in us of %d one-character changes on a %d-char text: %s",
                keystrokes,
                trace.textAfter(baseEdits).length(),
                line));
        String[] names = {
            "apply",
            "get-heads",
            "length",
            "cursor-from-string",
            "lookup-cursor-index",
            "new-patch-log",
            "apply-with-log",
            "make-patches",
            "patch-log-free"
        };
        for (int call = 0; call < calls.length; call++) {
            report.result("native-costs-" + names[call], median[call], "us");
        }
        double apply = median[0];
        report.ratio("native-patches-vs-apply", (median[5] + median[6] + median[7] + median[8]) / apply);
        report.ratio("native-lookup-vs-apply", (median[3] + median[4]) / apply);
        report.ratio("native-heads-vs-apply", median[1] / apply);
    }
}
