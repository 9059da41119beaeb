package dev.ensemble.benchmarks.relay;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The signaling server benchmarks, each in one run with the servers in a child JVM
 * ({@link RelayServerMain}) and the clients in this one, all on 127.0.0.1:
 *
 * <ul>
 *   <li><b>Relay round trip</b> p50/p99/p99.9 through the signaling server, against a plain
 *       Java-WebSocket echo server and forwarding server ({@link RoundTrips});</li>
 *   <li><b>Server heap per connection</b>: the server JVM's used heap after settled full collections
 *       with the fan-out clients handshaken and joined, minus before, divided by their number;</li>
 *   <li><b>Relay fan-out</b>: the fan-out clients, four per room, each sending to its three room
 *       mates; send → receive latency and a check that every frame arrived ({@link FanOut}).</li>
 * </ul>
 *
 * <p>Prints {@code result <name> <value> <unit>} and {@code ratio <name> <ours/comparator>} lines
 * and exits with status 1 if a frame was lost or an error came back. Run with
 * {@code benchmarks/run relay [--quick] [--clients N]}. The whole suite stops by itself: a watchdog
 * ends it after the settings' deadline.
 */
public final class RelaySuite {

    private static final int SPARE_FILE_DESCRIPTORS = 256;
    private static final String USAGE = "usage: RelaySuite [--quick] [--clients N (a multiple of "
            + RelaySettings.CLIENTS_PER_ROOM + ")] [--fanout-rate frames/s] [--only rtt|fanout|sealed]"
            + " [--idle-timeout seconds]";

    private final RelaySettings settings;
    private final List<String> problems = new ArrayList<>();

    RelaySuite(RelaySettings settings) {
        this.settings = settings;
    }

    /**
     * @param args {@code [--quick] [--clients N]}
     * @throws Exception if a benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        RelaySettings settings = parse(args);
        SuiteDeadline.start("relay", settings.deadline());
        List<String> problems = new RelaySuite(settings).run();
        problems.forEach(problem -> System.out.println("# PROBLEM: " + problem));
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    static RelaySettings parse(String[] args) {
        RelaySettings settings = RelaySettings.full();
        Integer clients = null;
        Double rate = null;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                settings = RelaySettings.quick();
            } else if (args[i].equals("--clients") && i + 1 < args.length) {
                clients = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--fanout-rate") && i + 1 < args.length) {
                rate = Double.parseDouble(args[++i]);
            } else if (args[i].equals("--only") && i + 1 < args.length) {
                only = args[++i];
            } else if (args[i].equals("--idle-timeout") && i + 1 < args.length) {
                settings = settings.withServerIdleTimeout(Duration.ofSeconds(Long.parseLong(args[++i])));
            } else {
                throw new IllegalArgumentException(USAGE + ", but got '" + args[i] + "'");
            }
        }
        settings = clients == null ? settings : settings.withFanoutClients(clients);
        settings = rate == null ? settings : settings.withFanoutFramesPerSecond(rate);
        return only == null ? settings : settings.only(only);
    }

    /**
     * Runs every benchmark and prints its lines.
     *
     * @return what went wrong (lost frames, errors from the server); empty when all is well
     */
    List<String> run() throws Exception {
        checkFileDescriptorLimit(settings.fanoutClients());
        System.out.printf(
                "# relay suite: %d round trips per comparison (+%d warm-up) in %d blocks; %d fan-out clients"
                        + " in %d rooms at %.0f frames/s for %d s (+%d s warm-up); server idle timeout and ping period %d s;"
                        + " server JVM %s%n",
                settings.rttMeasured(),
                settings.rttWarmup(),
                settings.rttBlocks(),
                settings.fanoutClients(),
                settings.fanoutClients() / RelaySettings.CLIENTS_PER_ROOM,
                settings.fanoutFramesPerSecond(),
                settings.fanoutMeasured().toSeconds(),
                settings.fanoutWarmup().toSeconds(),
                settings.serverIdleTimeout().toSeconds(),
                ServerProcess.JVM_FLAGS);
        try (ServerProcess server = ServerProcess.start(settings.deadline(), settings.serverIdleTimeout())) {
            if (settings.runRoundTrips()) {
                roundTrips(server);
            }
            if (settings.runSealed()) {
                sealedRoundTrips(server);
            }
            if (settings.runFanOut()) {
                heapAndFanOut(server);
            }
            long echoRearms = server.echoRearms();
            System.out.printf(
                    "# write guards re-requested a lost write: echo server %d times, signaling server %s%n",
                    echoRearms, server.metric("ensemble_signaling_write_guard_rearms_total"));
            String errors = server.metric("ensemble_signaling_errors_total");
            if (!errors.isEmpty()) {
                problems.add("the signaling server counted errors: " + errors);
            }
        }
        return problems;
    }

    /** Transport round trips, bare and sealed end to end, in alternating blocks (issue 17's 1.1x target). */
    private void sealedRoundTrips(ServerProcess server) throws Exception {
        Map<String, Histogram> histograms;
        long refused;
        try (SealedRoundTrips trips = SealedRoundTrips.connect(server.signalingUri(), settings.payloadBytes())) {
            histograms = trips.measure(settings.rttWarmup(), settings.rttMeasured(), settings.rttBlocks());
            refused = trips.refused();
        }
        if (refused > 0) {
            problems.add("the sealed transports refused " + refused + " frames through an honest server");
        }
        histograms.forEach((name, histogram) -> {
            micros(name + "-rtt-p50", histogram.getValueAtPercentile(50));
            micros(name + "-rtt-p99", histogram.getValueAtPercentile(99));
        });
        Histogram sealed = histograms.get(SealedRoundTrips.SEALED);
        Histogram bare = histograms.get(SealedRoundTrips.BARE);
        for (double percentile : new double[] {50, 99}) {
            System.out.printf(
                    Locale.ROOT,
                    "ratio sealed-rtt-p%.0f %.2f%n",
                    percentile,
                    (double) sealed.getValueAtPercentile(percentile) / bare.getValueAtPercentile(percentile));
        }
    }

    private void roundTrips(ServerProcess server) throws Exception {
        Map<String, Histogram> histograms;
        long errors;
        try (RoundTrips trips = RoundTrips.connect(server, settings.payloadBytes())) {
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
        Histogram relay = histograms.get(RoundTrips.RELAY);
        for (String comparator : List.of(RoundTrips.ECHO, RoundTrips.FORWARD)) {
            Histogram other = histograms.get(comparator);
            String suffix = comparator.equals(RoundTrips.ECHO) ? "" : "-vs-" + comparator;
            for (double percentile : new double[] {50, 99}) {
                System.out.printf(
                        Locale.ROOT,
                        "ratio relay-rtt-p%.0f%s %.2f%n",
                        percentile,
                        suffix,
                        (double) relay.getValueAtPercentile(percentile) / other.getValueAtPercentile(percentile));
            }
        }
    }

    private void heapAndFanOut(ServerProcess server) throws Exception {
        long before = server.usedHeapAfterGc();
        try (FanOut fanOut = FanOut.connect(server.signalingUri(), settings.fanoutClients())) {
            long after = server.usedHeapAfterGc();
            System.out.printf(
                    "# server heap: %d bytes before, %d bytes with %d connections joined%n",
                    before, after, fanOut.size());
            System.out.printf("result server-heap-per-connection %d bytes%n", (after - before) / fanOut.size());
            CpuTime serverCpu = CpuTime.of(server.pid());
            CpuTime clientsCpu = CpuTime.of(ProcessHandle.current().pid());
            long start = System.nanoTime();
            FanOut.Result result = fanOut.run(
                    settings.fanoutRoundsPerSecond(),
                    settings.fanoutWarmup(),
                    settings.fanoutMeasured(),
                    settings.payloadBytes());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "# CPU during fan-out (%.1f s, %d cores shared with the machine's other"
                            + " work): server JVM %.1f s, clients JVM %.1f s%n",
                    seconds,
                    Runtime.getRuntime().availableProcessors(),
                    serverCpu.secondsSince(),
                    clientsCpu.secondsSince());
            Histogram latencies = result.latencies();
            System.out.printf("result relay-fanout-clients %d clients%n", fanOut.size());
            System.out.printf("result relay-fanout-rate %.0f frames/s%n", result.sentPerSecond());
            System.out.printf("result relay-fanout-recorded %d frames%n", latencies.getTotalCount());
            micros("relay-fanout-p50", latencies.getValueAtPercentile(50));
            micros("relay-fanout-p99", latencies.getValueAtPercentile(99));
            micros("relay-fanout-p999", latencies.getValueAtPercentile(99.9));
            micros("relay-fanout-max", latencies.getMaxValue());
            System.out.println("# fan-out: worst latency (ms) of the frames sent in each second, warm-up first: "
                    + result.worstMillisBySecond());
            System.out.printf("result relay-fanout-undelivered %d frames%n", result.undelivered());
            if (result.undelivered() > 0 || result.sendFailures() > 0 || result.serverErrors() > 0) {
                problems.add("fan-out: " + result.sent() + " frames sent, " + result.received() + " received within"
                        + " the drain time, " + result.sendFailures() + " send calls on closed clients, "
                        + result.serverErrors() + " error frames from the server");
            }
        }
    }

    /**
     * Each JVM holds one socket per client (the clients here, the accepted connections in the server),
     * plus jars, pipes and the comparators' sockets: about {@value #SPARE_FILE_DESCRIPTORS} more.
     */
    static void checkFileDescriptorLimit(int clients) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            long needed = clients + SPARE_FILE_DESCRIPTORS;
            long limit = unix.getMaxFileDescriptorCount();
            System.out.printf(
                    "# file descriptors: %d clients need about %d per JVM; the limit is %d%n", clients, needed, limit);
            if (limit < needed) {
                throw new IllegalStateException("the open-file limit is " + limit + " but " + clients + " clients need"
                        + " about " + needed + " per JVM; raise it (ulimit -n " + needed + ") or pass fewer --clients");
            }
        }
    }

    private static void micros(String name, long nanos) {
        System.out.printf(Locale.ROOT, "result %s %.1f us%n", name, nanos / 1000.0);
    }
}
