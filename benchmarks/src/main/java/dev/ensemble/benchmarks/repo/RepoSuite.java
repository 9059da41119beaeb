package dev.ensemble.benchmarks.repo;

import dev.ensemble.benchmarks.collab.BenchmarkReport;
import dev.ensemble.benchmarks.collab.EditTrace;
import dev.ensemble.benchmarks.collab.RawTextDocument;
import dev.ensemble.testkit.process.ChildProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code benchmarks/run repo}: a Node automerge-repo client syncs (a) many small documents and (b)
 * the automerge-paper trace's document (its final state with all 259,778 changes, built once per
 * run) through our sync server and through the reference Node sync server, both storing to disk.
 *
 * <p>Each workload is one client process ({@code repo-sync.mjs}) with two connections: a writer
 * uploads (it made the documents before it connects; the phase ends when the server's sync
 * messages report every document's heads), then, with the writer still connected, a reader with
 * nothing finds every document and waits for those heads. Both servers run in their own process,
 * each behind a {@link ByteCountingProxy}; ours is the signaling server's jar with {@code --data} in a
 * directory of the run. The servers take turns, in alternating order, for a number of rounds; the
 * medians are reported.
 *
 * <p>Prints {@code result} lines (milliseconds and bytes per server, workload and phase) and
 * {@code ratio repo-sync-1000-docs-vs-node-server} and {@code ratio repo-sync-paper-vs-node-server}:
 * our upload plus download time divided by the Node server's (lower is better; the target is at
 * most 1.0). Not thread-safe: one thread runs it.
 */
public final class RepoSuite {
    /** The ratio of the many-documents workload (its name keeps the full size also under --quick). */
    static final String DOCS_RATIO = "repo-sync-1000-docs-vs-node-server";
    /** The ratio of the paper workload. */
    static final String PAPER_RATIO = "repo-sync-paper-vs-node-server";

    private static final Duration CLIENT_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration PROXY_IDLE_TIMEOUT = Duration.ofSeconds(20);

    private final RepoSettings settings;
    private final BenchmarkReport report;
    private final Path nodeDirectory;
    private final Path signalingJar;

    RepoSuite(RepoSettings settings, BenchmarkReport report, Path nodeDirectory, Path signalingJar) {
        this.settings = settings;
        this.report = report;
        this.nodeDirectory = nodeDirectory;
        this.signalingJar = signalingJar;
    }

    /**
     * @param args {@code [--quick] [--docs N] [--rounds N]}
     * @throws Exception if a server or client cannot run
     */
    public static void main(String[] args) throws Exception {
        RepoSettings settings;
        try {
            settings = RepoSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("repo suite: " + e.getMessage());
            System.err.println("usage: benchmarks/run repo [--quick] [--docs N] [--rounds N]");
            System.exit(2);
            return;
        }
        Path nodeDirectory = locateNodeDirectory();
        Path jar = Path.of(System.getProperty("ensemble.signalingJar", "signaling-server/target/signaling-server.jar"));
        PrintStream out = System.out;
        new RepoSuite(settings, new BenchmarkReport(out), nodeDirectory, jar).run();
        System.exit(0);
    }

    /**
     * The directory of the Node side ({@code benchmarks/src/main/node/automerge-repo}), from the
     * repository root (where {@code benchmarks/run} runs) or from the module (where tests run).
     *
     * @throws IllegalStateException if it or its packages are missing, saying how to install them
     */
    static Path locateNodeDirectory() {
        for (String candidate : List.of("benchmarks/src/main/node/automerge-repo", "src/main/node/automerge-repo")) {
            Path directory = Path.of(candidate).toAbsolutePath();
            if (Files.isRegularFile(directory.resolve("repo-sync.mjs"))) {
                if (!Files.isDirectory(directory.resolve("node_modules/@automerge/automerge-repo"))) {
                    throw new IllegalStateException("the automerge-repo packages are not installed in " + directory
                            + ": run npm install --no-audit --no-fund there (benchmarks/run repo does)");
                }
                return directory;
            }
        }
        throw new IllegalStateException("benchmarks/src/main/node/automerge-repo not found from "
                + Path.of("").toAbsolutePath() + ": run the suite from the repository root");
    }

    /**
     * Runs every round and prints the report.
     *
     * @return the medians, by {@code workload/server/phase}
     */
    Map<String, PhaseResult> run() throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("ensemble-repo-bench");
        report.note(String.format(
                Locale.ROOT,
                "workloads: %d small documents; the automerge-paper document with %s of its 259,778 edits"
                        + " (automerge-paper trace by Martin Kleppmann (CC BY 4.0), via josephg/editing-traces);"
                        + " %d round(s), the servers alternating; work directory %s",
                settings.documents(),
                settings.traceEdits() < 0 ? "all" : String.format(Locale.ROOT, "%,d", settings.traceEdits()),
                settings.rounds(),
                work));
        Path paper = work.resolve("paper.automerge");
        buildPaper(paper);
        report.note("our server: "
                + (Files.isRegularFile(signalingJar)
                        ? "java -jar " + signalingJar
                        : "the signaling server's main class from the benchmarks class path (no jar at " + signalingJar
                                + ")")
                + " " + String.join(" ", SyncServerProcess.JVM_FLAGS) + " --data DIR; Node: " + nodeVersion(work));

        Map<String, List<PhaseResult>> samples = new LinkedHashMap<>();
        for (int round = 1; round <= settings.rounds(); round++) {
            List<String> order = round % 2 == 1 ? List.of("ensemble", "node") : List.of("node", "ensemble");
            for (String server : order) {
                int attempts = server.equals("node") ? settings.referenceAttempts() : 1;
                for (int attempt = 1; ; attempt++) {
                    try {
                        Map<String, PhaseResult> results = runRound(server, round, attempt, work, paper);
                        results.forEach((key, result) -> samples.computeIfAbsent(key, k -> new ArrayList<>())
                                .add(result));
                        break;
                    } catch (IllegalStateException | AssertionError e) {
                        if (attempts == 1) {
                            throw e;
                        }
                        // The reference server has stalled under load: its round is run again from a
                        // fresh server, and the output says so. Ours is never given a second chance.
                        String why = String.valueOf(e.getMessage())
                                .lines()
                                .findFirst()
                                .orElse("");
                        report.note("round " + round + ", " + server + " server, attempt " + attempt + " failed: " + why
                                + (attempt < attempts
                                        ? "; running the round again"
                                        : "; this round has no result for it"));
                        if (attempt >= attempts) {
                            break;
                        }
                    }
                }
            }
        }
        Map<String, PhaseResult> medians = new LinkedHashMap<>();
        samples.forEach((key, values) -> medians.put(key, median(values)));
        print("1000-docs", "docs", medians, DOCS_RATIO);
        print("paper", "paper", medians, PAPER_RATIO);
        deleteQuietly(work);
        return medians;
    }

    private void buildPaper(Path file) throws IOException {
        EditTrace trace = EditTrace.automergePaper();
        int edits = settings.traceEdits() < 0 ? trace.size() : Math.min(settings.traceEdits(), trace.size());
        long started = System.nanoTime();
        byte[] saved;
        try (RawTextDocument document = RawTextDocument.create()) {
            document.replay(trace, 0, edits);
            saved = document.document().save();
        }
        Files.write(file, saved);
        report.note(String.format(
                Locale.ROOT,
                "built the paper document once: %,d changes, %,d bytes saved, in %.1f s",
                edits + 1,
                saved.length,
                (System.nanoTime() - started) / 1e9));
    }

    /** Runs both workloads against a fresh server; returns the results by {@code workload/server/phase}. */
    private Map<String, PhaseResult> runRound(String server, int round, int attempt, Path work, Path paper)
            throws IOException, InterruptedException {
        Path roundDirectory =
                Files.createDirectories(work.resolve("round-" + round + "-" + server + "-attempt-" + attempt));
        Path data = Files.createDirectories(roundDirectory.resolve("data"));
        Map<String, PhaseResult> results = new LinkedHashMap<>();
        try (SyncServerProcess process = server.equals("ensemble")
                        ? SyncServerProcess.ensemble(signalingJar, data, roundDirectory, "ensemble-server")
                        : SyncServerProcess.node(nodeDirectory, data, roundDirectory, "node-server");
                ByteCountingProxy proxy = ByteCountingProxy.start(process.port())) {
            URI uri = process.uriThrough(proxy.port());
            PhaseResult[] docs = workload(
                    proxy, process, roundDirectory, "docs", uri, "docs", Integer.toString(settings.documents()));
            results.put("docs/" + server + "/upload", docs[0]);
            results.put("docs/" + server + "/download", docs[1]);
            PhaseResult[] paperPhases =
                    workload(proxy, process, roundDirectory, "paper", uri, "file", paper.toString());
            results.put("paper/" + server + "/upload", paperPhases[0]);
            results.put("paper/" + server + "/download", paperPhases[1]);
            report.note(String.format(
                    Locale.ROOT, "round %d, %s server: stored %,d bytes on disk", round, server, sizeOf(data)));
        }
        return results;
    }

    /**
     * Runs one workload's client process through the proxy: its upload, then (with the writer still
     * connected) its download.
     *
     * @return the upload's and the download's result
     */
    private PhaseResult[] workload(
            ByteCountingProxy proxy, SyncServerProcess server, Path directory, String name, URI uri, String... command)
            throws IOException, InterruptedException {
        long upBefore = proxy.bytesUp();
        long downBefore = proxy.bytesDown();
        List<String> line = new ArrayList<>(
                List.of("node", nodeDirectory.resolve("repo-sync.mjs").toString(), uri.toString()));
        line.addAll(Arrays.asList(command));
        try (ChildProcess client = ChildProcess.builder(line)
                .environment("TIMEOUT_S", Long.toString(CLIENT_TIMEOUT.toSeconds()))
                .start(directory, name + "-client")) {
            String uploaded = client.awaitLine(
                    "its upload time", CLIENT_TIMEOUT, l -> l.startsWith("uploaded ") || l.startsWith("error "));
            failIfError(uploaded, server, client, name);
            PhaseResult upload =
                    new PhaseResult(millis(uploaded), proxy.bytesUp() - upBefore, proxy.bytesDown() - downBefore);
            long upMiddle = proxy.bytesUp();
            long downMiddle = proxy.bytesDown();
            client.writeLine("download");
            int exit = client.awaitExit(CLIENT_TIMEOUT.plusSeconds(30));
            String downloaded = client.stdout().stream()
                    .filter(l -> l.startsWith("downloaded ") || l.startsWith("error "))
                    .findFirst()
                    .orElse("error no download time (exit code " + exit + ")");
            failIfError(downloaded, server, client, name);
            if (!proxy.awaitIdle(PROXY_IDLE_TIMEOUT)) {
                report.note(server.name() + ": a connection of the " + name + " client was still open after "
                        + PROXY_IDLE_TIMEOUT.toSeconds() + " s; its bytes so far are counted");
            }
            PhaseResult download =
                    new PhaseResult(millis(downloaded), proxy.bytesUp() - upMiddle, proxy.bytesDown() - downMiddle);
            return new PhaseResult[] {upload, download};
        }
    }

    private static void failIfError(String line, SyncServerProcess server, ChildProcess client, String name) {
        if (line.startsWith("error ")) {
            server.assertAlive();
            throw new IllegalStateException(server.name() + ": the " + name + " client failed: " + line.substring(6)
                    + "\n" + client.describe());
        }
    }

    private static double millis(String line) {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
    }

    private void print(String label, String workload, Map<String, PhaseResult> medians, String ratioName) {
        double[] totals = new double[2];
        int i = 0;
        for (String server : List.of("ensemble", "node")) {
            PhaseResult upload = medians.get(workload + "/" + server + "/upload");
            PhaseResult download = medians.get(workload + "/" + server + "/download");
            if (upload == null || download == null) {
                report.note("no " + label + " result for the " + server + " server: every attempt failed");
                return;
            }
            String prefix = "repo-sync-" + label + "-" + server;
            report.result(prefix + "-upload-time", round(upload.millis()), "ms");
            report.result(prefix + "-download-time", round(download.millis()), "ms");
            report.result(prefix + "-upload-bytes-up", upload.bytesUp(), "bytes");
            report.result(prefix + "-upload-bytes-down", upload.bytesDown(), "bytes");
            report.result(prefix + "-download-bytes-up", download.bytesUp(), "bytes");
            report.result(prefix + "-download-bytes-down", download.bytesDown(), "bytes");
            totals[i++] = upload.millis() + download.millis();
        }
        report.ratio(ratioName, totals[0] / totals[1]);
    }

    /** The median of each field on its own (times and byte counts vary independently). */
    static PhaseResult median(List<PhaseResult> values) {
        double[] millis =
                values.stream().mapToDouble(PhaseResult::millis).sorted().toArray();
        long[] up = values.stream().mapToLong(PhaseResult::bytesUp).sorted().toArray();
        long[] down = values.stream().mapToLong(PhaseResult::bytesDown).sorted().toArray();
        int mid = values.size() / 2;
        boolean even = values.size() % 2 == 0;
        return new PhaseResult(
                even ? (millis[mid - 1] + millis[mid]) / 2 : millis[mid],
                even ? (up[mid - 1] + up[mid]) / 2 : up[mid],
                even ? (down[mid - 1] + down[mid]) / 2 : down[mid]);
    }

    /** Whole milliseconds: the clients' clocks and the load of a shared machine make finer digits noise. */
    private static double round(double millis) {
        return Math.round(millis);
    }

    private static String nodeVersion(Path work) {
        try (ChildProcess node =
                ChildProcess.builder(List.of("node", "--version")).start(work, "node-version")) {
            node.awaitExit();
            return node.stdoutText().trim();
        } catch (IOException | RuntimeException | AssertionError e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static long sizeOf(Path directory) throws IOException {
        try (var files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // A temp directory left behind is harmless.
        }
    }
}
