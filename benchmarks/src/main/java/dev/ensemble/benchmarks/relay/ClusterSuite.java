package dev.ensemble.benchmarks.relay;

import dev.ensemble.testkit.process.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The signaling server alone against two nodes of a cluster over one Redis, in one run: a signaling
 * server on its own and two cluster nodes, each in a child JVM ({@link RelayServerMain}), a
 * {@code redis-server} started here ({@link RedisServer}), the clients in this JVM, all on 127.0.0.1.
 *
 * <ul>
 *   <li><b>Relay round trip</b>: peers A and B on the single server, and A on node 1 with B on node 2
 *       (every frame crosses Redis), taking turns block by block ({@link RoundTrips#connectRelays}).</li>
 *   <li><b>Relay fan-out</b> ({@link FanOut}), four clients per room: all on the single server, then
 *       spread over the two nodes (members 1 and 3 of a room on node 1, 2 and 4 on node 2, so two of
 *       each client's three mates are on the other node). CPU time of the server JVMs per relayed
 *       frame, from {@code /proc/<pid>/stat}.</li>
 *   <li><b>Keep-alive</b>: the single server's fan-out runs for at least one whole keep-alive period
 *       (the server's idle timeout, 30 s by default) after its warm-up, so that every connection is
 *       pinged once while latencies are recorded; its p99 is the {@code fanout-p99-keepalive} line.</li>
 * </ul>
 *
 * <p>Prints {@code result}, {@code ratio} (cluster over single; below 1 is better for the cluster)
 * and {@code target} lines, and exits with status 1 if a frame was lost or an error came back. Run
 * with {@code benchmarks/run cluster [--quick]}. A watchdog stops the whole suite, its child
 * processes included, after the settings' deadline.
 */
public final class ClusterSuite {

    /** The fan-out rate of both modes, frames/s in all: the rate of the keep-alive target. */
    static final double FANOUT_FRAMES_PER_SECOND = 1_500;
    /** The keep-alive target: fan-out p99 at most this, in milliseconds, with the default period. */
    static final double KEEPALIVE_P99_TARGET_MS = 20;

    private static final String SINGLE = "single";
    private static final String CLUSTER = "cluster";
    private static final String USAGE = "usage: ClusterSuite [--quick] [--clients N (a multiple of "
            + RelaySettings.CLIENTS_PER_ROOM + ")] [--fanout-rate frames/s]";

    /** What one fan-out measured; the CPU time is over the measured part, after the warm-up. */
    private record FanOutRun(FanOut.Result result, double serverCpuSeconds) {
        double serverCpuMicrosPerFrame() {
            return serverCpuSeconds * 1e6 / result.sentMeasured();
        }
    }

    private final RelaySettings settings;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> results = new LinkedHashMap<>();

    ClusterSuite(RelaySettings settings) {
        this.settings = settings;
    }

    /**
     * @param args {@code [--quick] [--clients N] [--fanout-rate F]}
     * @throws Exception if a benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        RelaySettings settings = parse(args);
        SuiteDeadline.start("cluster", settings.deadline());
        List<String> problems = new ClusterSuite(settings).run();
        problems.forEach(problem -> System.out.println("# PROBLEM: " + problem));
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /**
     * The full run: 2,000 clients in 500 rooms at 1,500 frames/s, measured for 31 s after a 5 s
     * warm-up, so that the default 30 s keep-alive period falls wholly inside it in both modes.
     */
    static RelaySettings full() {
        return new RelaySettings(
                        64,
                        10_000,
                        40_000,
                        10,
                        2_000,
                        1,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(31),
                        Duration.ofMinutes(10),
                        RelaySettings.ALL,
                        RelaySettings.full().serverIdleTimeout())
                .withFanoutFramesPerSecond(FANOUT_FRAMES_PER_SECOND);
    }

    /**
     * About a minute: 400 clients, fewer round trips, a 5 s cluster fan-out; the single server's fan-out
     * still covers a whole keep-alive period (31 s).
     */
    static RelaySettings quick() {
        return new RelaySettings(
                        64,
                        500,
                        2_000,
                        4,
                        400,
                        1,
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(4),
                        RelaySettings.ALL,
                        RelaySettings.full().serverIdleTimeout())
                .withFanoutFramesPerSecond(FANOUT_FRAMES_PER_SECOND);
    }

    static RelaySettings parse(String[] args) {
        RelaySettings settings = full();
        Integer clients = null;
        Double rate = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                settings = quick();
            } else if (args[i].equals("--clients") && i + 1 < args.length) {
                clients = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--fanout-rate") && i + 1 < args.length) {
                rate = Double.parseDouble(args[++i]);
            } else {
                throw new IllegalArgumentException(USAGE + ", but got '" + args[i] + "'");
            }
        }
        if (clients != null) {
            settings = settings.withFanoutClients(clients);
        }
        return settings.withFanoutFramesPerSecond(rate == null ? FANOUT_FRAMES_PER_SECOND : rate);
    }

    /**
     * The single server's fan-out: as long as the settings say, but at least one keep-alive period plus
     * a second, so that every connection's ping (one per period, spread over it) falls in the measured
     * window wherever the period starts.
     */
    Duration keepAliveCoveringRun() {
        Duration covering = settings.serverIdleTimeout().plusSeconds(1);
        return settings.fanoutMeasured().compareTo(covering) >= 0 ? settings.fanoutMeasured() : covering;
    }

    /** The name of the keep-alive result, with the period in it. */
    String keepAliveResultName() {
        return "fanout-p99-keepalive-" + settings.serverIdleTimeout().toSeconds() + "s-ms";
    }

    /**
     * Runs every benchmark and prints its lines.
     *
     * @return what went wrong (lost frames, errors from the servers); empty when all is well
     */
    List<String> run() throws Exception {
        RelaySuite.checkFileDescriptorLimit(settings.fanoutClients());
        System.out.printf(
                Locale.ROOT,
                "# cluster suite: %d round trips per mode (+%d warm-up) in %d blocks; %d fan-out clients in %d rooms"
                        + " at %.0f frames/s, %d s on the single server and %d s on the cluster (+%d s warm-up each);"
                        + " keep-alive period %d s; server JVMs %s%n",
                settings.rttMeasured(),
                settings.rttWarmup(),
                settings.rttBlocks(),
                settings.fanoutClients(),
                settings.fanoutClients() / RelaySettings.CLIENTS_PER_ROOM,
                settings.fanoutFramesPerSecond(),
                keepAliveCoveringRun().toSeconds(),
                settings.fanoutMeasured().toSeconds(),
                settings.fanoutWarmup().toSeconds(),
                settings.serverIdleTimeout().toSeconds(),
                ServerProcess.JVM_FLAGS);
        Path redisDirectory = Files.createTempDirectory("ensemble-cluster-bench-");
        try (RedisServer redis = RedisServer.start(redisDirectory);
                ServerProcess single = ServerProcess.start(settings.deadline(), settings.serverIdleTimeout());
                ServerProcess node1 =
                        ServerProcess.start(settings.deadline(), settings.serverIdleTimeout(), redis.uri());
                ServerProcess node2 =
                        ServerProcess.start(settings.deadline(), settings.serverIdleTimeout(), redis.uri())) {
            System.out.println("# redis: " + redis.uri() + "; server JVMs: single pid " + single.pid() + ", node 1 pid "
                    + node1.pid() + ", node 2 pid " + node2.pid());
            roundTrips(single, node1, node2);
            FanOutRun alone = fanOut(SINGLE, List.of(single), keepAliveCoveringRun(), Optional.empty());
            keepAliveTarget(alone);
            Optional<ProcessHandle> redisProcess = redisProcess(redis);
            if (redisProcess.isEmpty()) {
                System.out.println("# redis-server was not found among this JVM's children: no Redis CPU time");
            }
            List<ServerProcess> nodes = List.of(node1, node2);
            CrossNodeCounts before = CrossNodeCounts.of(nodes);
            FanOutRun spread = fanOut(CLUSTER, nodes, settings.fanoutMeasured(), redisProcess);
            crossNodeTraffic(nodes, before, spread.result().sent());
            fanOutRatios(alone, spread);
            for (ServerProcess server : List.of(single, node1, node2)) {
                String errors = server.metric("ensemble_signaling_errors_total");
                if (!errors.isEmpty()) {
                    problems.add("the signaling server with pid " + server.pid() + " counted errors: " + errors);
                }
            }
        } finally {
            deleteTree(redisDirectory);
        }
        return problems;
    }

    /** The {@code result} and {@code ratio} lines printed so far: value (and unit) by name, for tests. */
    Map<String, String> results() {
        return results;
    }

    private void roundTrips(ServerProcess single, ServerProcess node1, ServerProcess node2) throws Exception {
        Map<String, List<URI>> pairs = new LinkedHashMap<>();
        pairs.put(SINGLE, List.of(single.signalingUri(), single.signalingUri()));
        pairs.put(CLUSTER, List.of(node1.signalingUri(), node2.signalingUri()));
        Map<String, Histogram> histograms;
        long errors;
        try (RoundTrips trips = RoundTrips.connectRelays(pairs, settings.payloadBytes())) {
            histograms = trips.measure(settings.rttWarmup(), settings.rttMeasured(), settings.rttBlocks());
            errors = trips.relayErrors();
        }
        if (errors > 0) {
            problems.add("the relay round-trip peers received " + errors + " error frames");
        }
        histograms.forEach((name, histogram) -> {
            micros(name + "-rtt-p50", histogram.getValueAtPercentile(50));
            micros(name + "-rtt-p99", histogram.getValueAtPercentile(99));
            micros(name + "-rtt-p999", histogram.getValueAtPercentile(99.9));
            micros(name + "-rtt-max", histogram.getMaxValue());
        });
        for (double percentile : new double[] {50, 99}) {
            ratio(
                    String.format(Locale.ROOT, "cluster-rtt-p%.0f-vs-single", percentile),
                    (double) histograms.get(CLUSTER).getValueAtPercentile(percentile)
                            / histograms.get(SINGLE).getValueAtPercentile(percentile));
        }
    }

    /**
     * Connects the fan-out clients spread over {@code servers}, runs the fan-out for the warm-up and
     * {@code measured}, and prints its lines prefixed with {@code name}.
     *
     * @param redis the Redis process whose CPU time to count too, if any
     */
    private FanOutRun fanOut(String name, List<ServerProcess> servers, Duration measured, Optional<ProcessHandle> redis)
            throws Exception {
        List<URI> uris = servers.stream().map(ServerProcess::signalingUri).toList();
        try (FanOut fanOut = FanOut.connect(uris, settings.fanoutClients())) {
            // Read from the end of the warm-up on: JIT compilation and the connections' first frames
            // would otherwise weigh on a short run (the quick cluster fan-out) more than on a long one.
            List<CpuTime> serverCpu = new ArrayList<>();
            List<CpuTime> clientsAndRedisCpu = new ArrayList<>();
            long start = System.nanoTime();
            FanOut.Result result = fanOut.run(
                    settings.fanoutRoundsPerSecond(),
                    settings.fanoutWarmup(),
                    measured,
                    settings.payloadBytes(),
                    () -> {
                        servers.forEach(server -> serverCpu.add(CpuTime.of(server.pid())));
                        clientsAndRedisCpu.add(
                                CpuTime.of(ProcessHandle.current().pid()));
                        redis.ifPresent(process -> clientsAndRedisCpu.add(CpuTime.of(process.pid())));
                    });
            double seconds = (System.nanoTime() - start) / 1e9;
            double serverSeconds =
                    serverCpu.stream().mapToDouble(CpuTime::secondsSince).sum();
            double clientSeconds = clientsAndRedisCpu.get(0).secondsSince();
            Optional<Double> redisSeconds =
                    redis.map(process -> clientsAndRedisCpu.get(1).secondsSince());
            System.out.printf(
                    Locale.ROOT,
                    "# %s fan-out: %d clients on %d server JVM(s), %.1f s (%d s measured); CPU while measured:"
                            + " server JVM(s) %.1f s, clients JVM %.1f s%s; worst latency (ms) of the frames sent in each second, warm-up"
                            + " first: %s%n",
                    name,
                    fanOut.size(),
                    servers.size(),
                    seconds,
                    measured.toSeconds(),
                    serverSeconds,
                    clientSeconds,
                    redisSeconds
                            .map(cpu -> String.format(Locale.ROOT, ", redis-server %.1f s", cpu))
                            .orElse(""),
                    result.worstMillisBySecond());
            Histogram latencies = result.latencies();
            result(name + "-fanout-rate", String.format(Locale.ROOT, "%.0f frames/s", result.sentPerSecond()));
            result(name + "-fanout-recorded", latencies.getTotalCount() + " frames");
            micros(name + "-fanout-p50", latencies.getValueAtPercentile(50));
            micros(name + "-fanout-p99", latencies.getValueAtPercentile(99));
            micros(name + "-fanout-p999", latencies.getValueAtPercentile(99.9));
            micros(name + "-fanout-max", latencies.getMaxValue());
            result(name + "-fanout-undelivered", result.undelivered() + " frames");
            micros(name + "-cpu-per-frame", (long) (serverSeconds * 1e9 / result.sentMeasured()));
            redisSeconds.ifPresent(cpu -> micros("redis-cpu-per-frame", (long) (cpu * 1e9 / result.sentMeasured())));
            if (result.undelivered() > 0 || result.sendFailures() > 0 || result.serverErrors() > 0) {
                problems.add(name + " fan-out: " + result.sent() + " frames sent, " + result.received()
                        + " received within the drain time, " + result.sendFailures()
                        + " send calls on closed clients, " + result.serverErrors() + " error frames from the server");
            }
            return new FanOutRun(result, serverSeconds);
        }
    }

    private void keepAliveTarget(FanOutRun alone) {
        double p99Millis = alone.result().latencies().getValueAtPercentile(99) / 1e6;
        String name = keepAliveResultName();
        result(name, String.format(Locale.ROOT, "%.1f", p99Millis));
        System.out.printf(
                Locale.ROOT,
                "target %s %.1f <= %.0f %s%n",
                name,
                p99Millis,
                KEEPALIVE_P99_TARGET_MS,
                p99Millis <= KEEPALIVE_P99_TARGET_MS ? "met" : "NOT MET");
    }

    private void fanOutRatios(FanOutRun alone, FanOutRun spread) {
        ratio("cluster-cpu-per-frame-vs-single", spread.serverCpuMicrosPerFrame() / alone.serverCpuMicrosPerFrame());
        for (double percentile : new double[] {50, 99}) {
            ratio(
                    String.format(Locale.ROOT, "cluster-fanout-p%.0f-vs-single", percentile),
                    (double) spread.result().latencies().getValueAtPercentile(percentile)
                            / alone.result().latencies().getValueAtPercentile(percentile));
        }
    }

    /** Messages the nodes published to Redis and received from it, summed over the nodes. */
    private record CrossNodeCounts(long out, long in) {
        static CrossNodeCounts of(List<ServerProcess> nodes) throws IOException {
            long out = 0;
            long in = 0;
            for (ServerProcess node : nodes) {
                out += node.counter("ensemble_signaling_cluster_frames_out_total");
                in += node.counter("ensemble_signaling_cluster_frames_in_total");
            }
            return new CrossNodeCounts(out, in);
        }
    }

    /** Prints the nodes' Redis traffic during the fan-out; a lost publish or an unreadable message is a problem. */
    private void crossNodeTraffic(List<ServerProcess> nodes, CrossNodeCounts before, long framesSent)
            throws IOException {
        CrossNodeCounts after = CrossNodeCounts.of(nodes);
        System.out.printf(
                "# cluster fan-out: %d frames sent by the clients; the nodes published %d messages to Redis and"
                        + " received %d (relay frames for a mate on the other node, and the clients' joins and"
                        + " leaves)%n",
                framesSent, after.out() - before.out(), after.in() - before.in());
        for (ServerProcess node : nodes) {
            System.out.println("# node pid " + node.pid() + ": "
                    + node.metric("ensemble_signaling_cluster_redis_latency_seconds"));
            for (String name : List.of(
                    "ensemble_signaling_cluster_publish_failures_total",
                    "ensemble_signaling_cluster_malformed_total")) {
                long count = node.counter(name);
                if (count != 0) {
                    problems.add("the cluster node with pid " + node.pid() + " counted " + name + " " + count);
                }
            }
        }
    }

    /**
     * The {@code redis-server} this JVM started for {@code redis}, found by its command line in
     * {@code /proc}. Redis rewrites its command line to {@code redis-server 127.0.0.1:PORT} padded with
     * spaces, which {@link ProcessHandle.Info} does not show; Debian's {@code redis-server} is a link to
     * another program, so the program's name does not tell either.
     */
    private static Optional<ProcessHandle> redisProcess(RedisServer redis) {
        String address = "127.0.0.1:" + redis.port();
        return ProcessHandle.current()
                .descendants()
                .filter(process -> {
                    try {
                        String line = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"))
                                .replace('\0', ' ');
                        return List.of(line.trim().split("\\s+")).contains(address);
                    } catch (IOException | UncheckedIOException e) {
                        return false;
                    }
                })
                .findFirst();
    }

    private void ratio(String name, double value) {
        String formatted = String.format(Locale.ROOT, "%.2f", value);
        System.out.println("ratio " + name + " " + formatted);
        results.put(name, formatted);
    }

    private void result(String name, String valueAndUnit) {
        System.out.println("result " + name + " " + valueAndUnit);
        results.put(name, valueAndUnit);
    }

    private void micros(String name, long nanos) {
        result(name, String.format(Locale.ROOT, "%.1f us", nanos / 1000.0));
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
