package dev.ensemble.benchmarks.remote;

import dev.ensemble.benchmarks.collab.BenchmarkReport;
import dev.ensemble.benchmarks.relay.RelayServerMain;
import dev.ensemble.benchmarks.relay.SuiteDeadline;
import dev.ensemble.testkit.net.NetNamespace;
import dev.ensemble.transport.webrtc.WebRtcNatives;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The remote suite: an actor on another JVM on 127.0.0.1, called through ensemble-remote and,
 * side by side in the same run, through Pekko's Artery TCP remoting (classic actors, Pekko's
 * built-in serializers). The counter's node runs in a child JVM ({@link NodeMain}), the calling
 * node in this one, a fresh pair per measurement; the relay and WebRTC go through a signaling
 * server in a child JVM of its own (the relay suite's {@link RelayServerMain}, rate limits raised).
 *
 * <p>For every connection ({@link Connection}) and round: tell throughput and sequential ask
 * latency ({@link Workload}). Prints {@code result remote-<what>-<connection>} lines (the median
 * over the rounds) and, against Artery, {@code ratio remote-tell-throughput-vs-artery} (ours
 * divided by Artery's: higher is better), {@code ratio remote-ask-p50-vs-artery} and {@code
 * ratio remote-ask-p99-vs-artery} (lower is better) for the direct connection, and the same with
 * {@code -relay-vs-artery} and {@code -webrtc-vs-artery}. WebRTC gathers no loopback candidates:
 * it is measured only inside netns-run's namespace ({@link NetNamespace}), and skipped with a note
 * elsewhere. Exits with status 1 if a measurement failed (a lost tell, a failed ask).
 *
 * <pre>
 * benchmarks/run remote [--quick] [--rounds N] [--only direct,relay,webrtc]
 * </pre>
 */
public final class RemoteSuite {
    /** Long enough that a slow machine shows up as a slow percentile, not as a failed run. */
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

    private static final String USAGE = "usage: RemoteSuite [--quick] [--rounds N] [--only direct,relay,webrtc]";

    private final RemoteSettings settings;
    private final BenchmarkReport report;
    private final List<String> problems = new ArrayList<>();

    RemoteSuite(RemoteSettings settings, BenchmarkReport report) {
        this.settings = settings;
        this.report = report;
    }

    /**
     * @param args {@code [--quick] [--rounds N] [--only direct,relay,webrtc]}
     * @throws Exception if a benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        // Before the first logger: the transports and the server log every connection at INFO.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        RemoteSettings settings = parse(args);
        SuiteDeadline.start("remote", settings.deadline());
        BenchmarkReport report = new BenchmarkReport(System.out);
        settings = runnable(settings, report);
        List<String> problems = new RemoteSuite(settings, report).run();
        problems.forEach(problem -> System.out.println("# PROBLEM: " + problem));
        // webrtc-java prints two lines of its own at exit once loaded (see WebRtcNatives).
        WebRtcNatives.closeStandardOutputForExit();
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    static RemoteSettings parse(String[] args) {
        RemoteSettings settings = RemoteSettings.full();
        Integer rounds = null;
        List<Connection> only = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                settings = RemoteSettings.quick();
            } else if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--only") && i + 1 < args.length) {
                only = Arrays.stream(args[++i].split(",")).map(Connection::of).toList();
                if (only.contains(Connection.ARTERY)) {
                    throw new IllegalArgumentException(USAGE + ": Artery is always measured, name only ours");
                }
            } else {
                throw new IllegalArgumentException(USAGE + ", but got '" + args[i] + "'");
            }
        }
        settings = rounds == null ? settings : settings.withRounds(rounds);
        return only == null ? settings : settings.withConnections(only);
    }

    /** Drops WebRTC outside the network namespace, saying so. */
    static RemoteSettings runnable(RemoteSettings settings, BenchmarkReport report) {
        if (settings.connections().contains(Connection.WEBRTC) && !NetNamespace.inside()) {
            report.note("WebRTC not measured: this JVM is not inside netns-run's namespace (veth address "
                    + NetNamespace.VETH_ADDRESS + "; WebRTC gathers no loopback candidates); `benchmarks/run remote`"
                    + " enters one");
            return settings.withConnections(settings.connections().stream()
                    .filter(c -> c != Connection.WEBRTC)
                    .toList());
        }
        return settings;
    }

    /**
     * Runs every measurement and prints its lines.
     *
     * @return what went wrong; empty when all is well
     */
    List<String> run() throws Exception {
        report.note(String.format(
                Locale.ROOT,
                "remote suite: %d tells (+%d warm-up) in windows of %d, each acknowledged by an ask, at most two"
                        + " windows unanswered; %d sequential asks (+%d warm-up); %d round(s) of artery, %s; child"
                        + " JVMs %s",
                settings.tells(),
                settings.warmupTells(),
                settings.window(),
                settings.asks(),
                settings.warmupAsks(),
                settings.rounds(),
                settings.connections().stream().map(c -> c.label).toList(),
                ChildJvm.JVM_FLAGS));
        Map<Connection, List<Workload.Measured>> measured = new EnumMap<>(Connection.class);
        boolean needsServer = settings.connections().stream().anyMatch(c -> c != Connection.DIRECT);
        ChildJvm server = needsServer
                ? ChildJvm.start(
                        RelayServerMain.class,
                        List.of(Long.toString(settings.deadline().toSeconds()), Long.toString(60)))
                : null;
        try {
            URI signaling = server == null ? null : URI.create("ws://127.0.0.1:" + server.ready(0) + "/");
            Workload workload = new Workload(settings);
            List<Connection> order = new ArrayList<>(List.of(Connection.ARTERY));
            order.addAll(settings.connections());
            for (int round = 1; round <= settings.rounds(); round++) {
                for (Connection connection : order) {
                    try (CounterTarget target = open(connection, signaling, "remote-bench-" + round)) {
                        Workload.Measured m = workload.measure(target);
                        measured.computeIfAbsent(connection, c -> new ArrayList<>())
                                .add(m);
                        report.note(String.format(
                                Locale.ROOT,
                                "round %d %s: %.0f tells/s, ask p50 %.1f us, p99 %.1f us%s; load average %s",
                                round,
                                connection.label,
                                m.tellsPerSecond(),
                                m.askNanos().getValueAtPercentile(50) / 1e3,
                                m.askNanos().getValueAtPercentile(99) / 1e3,
                                m.refusedTells() == 0 ? "" : ", " + m.refusedTells() + " tells refused (queue full)",
                                loadAverage()));
                    } catch (Exception e) {
                        problems.add("round " + round + " over " + connection.label + ": " + e);
                    }
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        print(measured);
        return problems;
    }

    private CounterTarget open(Connection connection, URI signaling, String room) throws Exception {
        return connection == Connection.ARTERY
                ? ArteryTarget.open(settings.deadline(), ASK_TIMEOUT)
                : EnsembleTarget.open(
                        connection, settings.deadline(), ASK_TIMEOUT, signaling, room + "-" + connection.label);
    }

    private void print(Map<Connection, List<Workload.Measured>> measured) {
        for (Map.Entry<Connection, List<Workload.Measured>> entry : measured.entrySet()) {
            String label = entry.getKey().label;
            List<Workload.Measured> rounds = entry.getValue();
            report.result(
                    "remote-tell-throughput-" + label, median(rounds, Workload.Measured::tellsPerSecond), "tells/s");
            report.result("remote-ask-p50-" + label, median(rounds, m -> micros(m, 50)), "us");
            report.result("remote-ask-p99-" + label, median(rounds, m -> micros(m, 99)), "us");
        }
        List<Workload.Measured> artery = measured.get(Connection.ARTERY);
        if (artery == null) {
            return;
        }
        for (Connection connection : settings.connections()) {
            List<Workload.Measured> ours = measured.get(connection);
            if (ours == null) {
                continue;
            }
            String suffix = connection == Connection.DIRECT ? "-vs-artery" : "-" + connection.label + "-vs-artery";
            report.ratio(
                    "remote-tell-throughput" + suffix,
                    median(ours, Workload.Measured::tellsPerSecond)
                            / median(artery, Workload.Measured::tellsPerSecond));
            report.ratio(
                    "remote-ask-p50" + suffix, median(ours, m -> micros(m, 50)) / median(artery, m -> micros(m, 50)));
            report.ratio(
                    "remote-ask-p99" + suffix, median(ours, m -> micros(m, 99)) / median(artery, m -> micros(m, 99)));
        }
    }

    private static double micros(Workload.Measured m, double percentile) {
        return m.askNanos().getValueAtPercentile(percentile) / 1e3;
    }

    private static double median(List<Workload.Measured> rounds, ToDoubleFunction<Workload.Measured> value) {
        double[] sorted = rounds.stream().mapToDouble(value).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
