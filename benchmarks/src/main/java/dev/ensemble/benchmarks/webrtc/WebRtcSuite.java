package dev.ensemble.benchmarks.webrtc;

import dev.ensemble.benchmarks.relay.SuiteDeadline;
import dev.ensemble.signaling.server.RateLimit;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.net.NetNamespace;
import dev.ensemble.transport.webrtc.WebRtcNatives;
import dev.ensemble.transport.webrtc.WebRtcTransport;
import dev.ensemble.transport.ws.WebSocketTransport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * WebRTC data channels against the WebSocket relay, between the same two peers on the same
 * signaling server, in one run. Each peer is built as an application builds it ({@link BenchPeer}):
 * a {@link WebSocketTransport} to the server and a {@link WebRtcTransport} negotiated over it.
 *
 * <ul>
 *   <li><b>Round trip</b> of 64-byte messages A → B → A, p50/p99/p99.9/max, over the data channel
 *       and over the relay ({@link PingPong}); after a warm-up, the two take turns block by block so
 *       that load from other processes falls on both alike.</li>
 *   <li><b>Throughput</b> A → B in MB/s (10^6 bytes) of 16 KiB and 64 KiB messages, a fixed volume
 *       per transport, the sender respecting back-pressure ({@link Stream}); the transports take
 *       turns block by block.</li>
 *   <li><b>Channel open time</b> over fresh peer pairs, each in a room of its own: from just before
 *       the first peer starts (connects to the server) until both report the data channel open; also
 *       until both are in the room (relay) and the difference.</li>
 * </ul>
 *
 * <p>Prints {@code result <name> <value> <unit>}, {@code ratio <name> <webrtc/relay>} and {@code
 * target <what> <value> <= <limit> met|NOT MET} lines, and exits with status 1 if a message was
 * lost, a channel dropped or a transport reported an error. The signaling server runs in this JVM
 * on 127.0.0.1; the data channels use the namespace's veth addresses. Run it with {@code
 * benchmarks/run webrtc [--quick]}, which enters the network namespace; a watchdog ends the suite
 * after the settings' deadline.
 */
public final class WebRtcSuite {

    static final String WEBRTC = WebRtcTransport.NAME;
    static final String RELAY = WebSocketTransport.NAME;
    /** The targets on one host. */
    static final double RTT_P99_TARGET_US = 1_000;

    static final double RTT_P999_TARGET_US = 5_000;
    static final double OPEN_P95_TARGET_MS = 500;

    private static final String USAGE = "usage: WebRtcSuite [--quick]";
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(20);

    private final WebRtcSettings settings;
    private final Report report;
    private final List<String> problems = new ArrayList<>();

    WebRtcSuite(WebRtcSettings settings, Report report) {
        this.settings = settings;
        this.report = report;
    }

    /**
     * @param args {@code [--quick]}
     * @throws Exception if a benchmark cannot run
     */
    public static void main(String[] args) throws Exception {
        // Before the first logger: the server and the transports log every connection at INFO, and the
        // open-time benchmark makes dozens.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        WebRtcSettings settings = parse(args);
        if (!NetNamespace.inside()) {
            System.err.println("the webrtc suite runs only inside a private network namespace with the veth address "
                    + NetNamespace.VETH_ADDRESS + " (WebRTC gathers no loopback candidates): start it with"
                    + " `benchmarks/run webrtc`, which enters one through netns-run");
            System.exit(2);
        }
        SuiteDeadline.start("webrtc", settings.deadline());
        List<String> problems = new WebRtcSuite(settings, new Report(System.out)).run();
        problems.forEach(problem -> System.out.println("# PROBLEM: " + problem));
        WebRtcNatives.closeStandardOutputForExit();
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    static WebRtcSettings parse(String[] args) {
        WebRtcSettings settings = WebRtcSettings.full();
        for (String arg : args) {
            if (arg.equals("--quick")) {
                settings = WebRtcSettings.quick();
            } else {
                throw new IllegalArgumentException(USAGE + ", but got '" + arg + "'");
            }
        }
        return settings;
    }

    /**
     * Runs every benchmark and prints its lines.
     *
     * @return what went wrong (lost messages, dropped channels, transport errors); empty when all is well
     */
    List<String> run() throws Exception {
        report.note(String.format(
                Locale.ROOT,
                "webrtc suite: %d round trips of %d bytes per transport (+%d warm-up)"
                        + " in %d blocks; streams of %d MiB per transport and message size %s in %d blocks; %d fresh"
                        + " pairs for the open time (+%d warm-up)",
                settings.rttMeasured(),
                settings.payloadBytes(),
                settings.rttWarmup(),
                settings.rttBlocks(),
                settings.streamBytes() >> 20,
                settings.streamMessageBytes(),
                settings.streamBlocks(),
                settings.openPairs(),
                settings.openWarmup()));
        SignalingServer server = new SignalingServer(SignalingServerConfig.loopback()
                        // The default relay rate (2,000 frames/s) would throttle the relay's round trips and streams.
                        .relayRate(new RateLimit(1_000_000, 1_000_000))
                        .build())
                .start();
        try {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
            try (PeerPair pair = new PeerPair(uri, "bench")) {
                PeerPair.Opened first = pair.open(OPEN_TIMEOUT);
                report.note(String.format(
                        Locale.ROOT,
                        "first pair of the run: in the room after %.1f ms, channel" + " open after %.1f ms",
                        first.joinedNanos() / 1e6,
                        first.openNanos() / 1e6));
                roundTrips(pair);
                throughput(pair);
                problems.addAll(pair.problems());
            }
            openTimes(uri);
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
        targets();
        return List.copyOf(problems);
    }

    private void roundTrips(PeerPair pair) throws Exception {
        List<PingPong> order = List.of(
                new PingPong(WEBRTC, pair.a(), pair.b(), settings.payloadBytes()),
                new PingPong(RELAY, pair.a(), pair.b(), settings.payloadBytes()));
        Histogram discard = new Histogram(3);
        for (int half = 0; half < 2; half++) {
            for (PingPong pingPong : order) {
                int count = Math.max(1, settings.rttWarmup() / 2);
                pingPong.play(count, discard, timeoutFor(count));
            }
        }
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        Map<String, List<String>> blockTails = new LinkedHashMap<>();
        order.forEach(pingPong -> {
            histograms.put(pingPong.transport(), new Histogram(3));
            blockTails.put(pingPong.transport(), new ArrayList<>());
        });
        int perBlock = settings.rttMeasured() / settings.rttBlocks();
        Histogram block = new Histogram(3);
        for (int b = 0; b < settings.rttBlocks(); b++) {
            for (int i = 0; i < order.size(); i++) {
                PingPong pingPong = order.get((b + i) % order.size());
                block.reset();
                pingPong.play(perBlock, block, timeoutFor(perBlock));
                histograms.get(pingPong.transport()).add(block);
                blockTails
                        .get(pingPong.transport())
                        .add(String.format(Locale.ROOT, "%.0f", micros(block.getValueAtPercentile(99))));
            }
        }
        // Tails that come and go from block to block point at load from outside rather than the transport.
        blockTails.forEach((transport, tails) ->
                report.note("round-trip p99 per block, " + label(transport) + " (us): " + String.join(", ", tails)));
        histograms.forEach((transport, histogram) -> {
            String prefix = label(transport) + "-rtt-";
            report.result(prefix + "p50", micros(histogram.getValueAtPercentile(50)), "us");
            report.result(prefix + "p99", micros(histogram.getValueAtPercentile(99)), "us");
            report.result(prefix + "p999", micros(histogram.getValueAtPercentile(99.9)), "us");
            report.result(prefix + "max", micros(histogram.getMaxValue()), "us");
        });
        Histogram webrtc = histograms.get(WEBRTC);
        Histogram relay = histograms.get(RELAY);
        for (double percentile : new double[] {50, 99, 99.9}) {
            report.ratio(
                    "webrtc-rtt-" + percentileName(percentile),
                    (double) webrtc.getValueAtPercentile(percentile) / relay.getValueAtPercentile(percentile));
        }
    }

    private void throughput(PeerPair pair) throws Exception {
        for (int size : settings.streamMessageBytes()) {
            byte[] message = new byte[size];
            List<String> order = List.of(WEBRTC, RELAY);
            for (String transport : order) {
                stream(pair, transport, message, settings.warmupMessages(size));
            }
            Map<String, long[]> totals = new LinkedHashMap<>();
            order.forEach(transport -> totals.put(transport, new long[3]));
            int messages = settings.messagesPerBlock(size);
            for (int block = 0; block < settings.streamBlocks(); block++) {
                for (int i = 0; i < order.size(); i++) {
                    String transport = order.get((block + i) % order.size());
                    Stream.Result result = stream(pair, transport, message, messages);
                    long[] total = totals.get(transport);
                    total[0] += result.bytes();
                    total[1] += result.nanos();
                    total[2] += result.backoffs();
                }
            }
            String sizeName = (size % 1024 == 0 ? size / 1024 + "k" : size + "b");
            Map<String, Double> rates = new LinkedHashMap<>();
            totals.forEach((transport, total) -> {
                double megabytesPerSecond = total[0] / 1e6 / (total[1] / 1e9);
                rates.put(transport, megabytesPerSecond);
                report.result(label(transport) + "-throughput-" + sizeName, megabytesPerSecond, "MB/s");
                report.note(String.format(
                        Locale.ROOT,
                        "%s, %d-byte messages: %d bytes in %.2f s, the sender" + " waited for the queue %d times",
                        label(transport),
                        size,
                        total[0],
                        total[1] / 1e9,
                        total[2]));
            });
            report.ratio("webrtc-throughput-" + sizeName, rates.get(WEBRTC) / rates.get(RELAY));
        }
    }

    private static Stream.Result stream(PeerPair pair, String transport, byte[] message, int messages)
            throws Exception {
        // Generous: 30 s plus 1 s per 2 MB, for a machine shared with other work.
        Duration timeout = Duration.ofSeconds(30).plusMillis((long) message.length * messages / 2_000);
        return Stream.send(pair.a(), pair.b(), transport, message, messages, timeout);
    }

    private void openTimes(URI server) throws Exception {
        Histogram joined = new Histogram(3);
        Histogram open = new Histogram(3);
        Histogram afterJoin = new Histogram(3);
        for (int i = 0; i < settings.openWarmup() + settings.openPairs(); i++) {
            try (PeerPair pair = new PeerPair(server, "open-" + i)) {
                PeerPair.Opened opened = pair.open(OPEN_TIMEOUT);
                problems.addAll(pair.problems());
                if (i >= settings.openWarmup()) {
                    joined.recordValue(opened.joinedNanos());
                    open.recordValue(opened.openNanos());
                    afterJoin.recordValue(Math.max(0, opened.openNanos() - opened.joinedNanos()));
                }
            }
        }
        report.note("channel open: " + open.getTotalCount() + " fresh pairs, each in its own room, timed from just"
                + " before the first peer connects to the server until both report the channel open");
        for (double percentile : new double[] {50, 95}) {
            String name = percentileName(percentile);
            report.result("webrtc-open-" + name, millis(open.getValueAtPercentile(percentile)), "ms");
            report.result("room-join-" + name, millis(joined.getValueAtPercentile(percentile)), "ms");
            report.result("webrtc-open-after-join-" + name, millis(afterJoin.getValueAtPercentile(percentile)), "ms");
        }
        report.result("webrtc-open-max", millis(open.getMaxValue()), "ms");
    }

    private void targets() {
        Double p99 = report.result("webrtc-rtt-p99");
        Double p999 = report.result("webrtc-rtt-p999");
        Double open = report.result("webrtc-open-p95");
        report.note("targets on one host (latencies in us, open time in ms)");
        report.targetAtMost("webrtc-rtt-p99-us", p99, RTT_P99_TARGET_US);
        report.targetAtMost("webrtc-rtt-p999-us", p999, RTT_P999_TARGET_US);
        report.targetAtMost("webrtc-open-p95-ms", open, OPEN_P95_TARGET_MS);
    }

    /** The name of a transport in result lines: {@code webrtc} or {@code ws-relay}. */
    static String label(String transport) {
        return transport.equals(RELAY) ? "ws-relay" : transport;
    }

    private static String percentileName(double percentile) {
        return percentile == 99.9 ? "p999" : String.format(Locale.ROOT, "p%.0f", percentile);
    }

    /** Generous: 10 s plus 2 ms per round trip; one takes about 0.1 to 0.3 ms here. */
    private static Duration timeoutFor(int roundTrips) {
        return Duration.ofSeconds(10).plusMillis(2L * roundTrips);
    }

    private static double micros(long nanos) {
        return nanos / 1e3;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
