package dev.ensemble.signaling.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Counters, gauges and the relay latency histogram of one server, rendered in the Prometheus text
 * format (version 0.0.4).
 *
 * <p>Thread-safe: written from WebSocket callback threads, the room thread and the write guard, read by
 * the HTTP thread. Label values come only from fixed sets (message types, error codes), never from peer
 * input, so the number of series stays bounded.
 */
final class ServerMetrics {

    /** Upper bounds of the latency buckets, in seconds. */
    private static final double[] LATENCY_BOUNDS_SECONDS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1
    };

    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder writeGuardRearms = new LongAdder();
    private final Map<String, LongAdder> messagesReceived = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> messagesSent = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bytesReceived = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bytesSent = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> revocations = new ConcurrentHashMap<>();
    private final LongAdder revocationEvictions = new LongAdder();
    private final LongAdder[] latencyBuckets = new LongAdder[LATENCY_BOUNDS_SECONDS.length + 1];
    private final LongAdder latencyCount = new LongAdder();
    private final AtomicLong latencySumNanos = new AtomicLong();
    private volatile IntSupplier openConnections = () -> 0;
    private volatile IntSupplier peers = () -> 0;
    private volatile IntSupplier rooms = () -> 0;
    private volatile Consumer<StringBuilder> more = out -> {};

    ServerMetrics() {
        for (int i = 0; i < latencyBuckets.length; i++) {
            latencyBuckets[i] = new LongAdder();
        }
    }

    void gauges(IntSupplier openConnections, IntSupplier peers, IntSupplier rooms) {
        this.openConnections = openConnections;
        this.peers = peers;
        this.rooms = rooms;
    }

    /** Adds metrics rendered after the server's own (the cluster's). */
    void more(Consumer<StringBuilder> more) {
        this.more = more;
    }

    void connectionOpened() {
        connectionsOpened.increment();
    }

    void writeGuardRearmed() {
        writeGuardRearms.increment();
    }

    long writeGuardRearms() {
        return writeGuardRearms.sum();
    }

    void received(String type, int bytes) {
        add(messagesReceived, type, 1);
        add(bytesReceived, type, bytes);
    }

    void sent(String type, int bytes) {
        add(messagesSent, type, 1);
        add(bytesSent, type, bytes);
    }

    void error(String code) {
        add(errors, code, 1);
    }

    /** A {@code revoke} handled: {@code accepted}, {@code known}, {@code ignored}, {@code refused} or {@code malformed}. */
    void revocation(String outcome) {
        add(revocations, outcome, 1);
    }

    /** A member removed from a room because a new revocation shut it out. */
    void revocationEviction() {
        revocationEvictions.increment();
    }

    void relayLatency(long nanos) {
        double seconds = nanos / 1e9;
        int bucket = 0;
        while (bucket < LATENCY_BOUNDS_SECONDS.length && seconds > LATENCY_BOUNDS_SECONDS[bucket]) {
            bucket++;
        }
        latencyBuckets[bucket].increment();
        latencyCount.increment();
        latencySumNanos.addAndGet(nanos);
    }

    private static void add(Map<String, LongAdder> counters, String label, long amount) {
        counters.computeIfAbsent(label, ignored -> new LongAdder()).add(amount);
    }

    String render() {
        StringBuilder out = new StringBuilder(4096);
        gauge(out, "ensemble_signaling_connections", "Open WebSocket connections.", openConnections.getAsInt());
        gauge(out, "ensemble_signaling_peers", "Connections that completed the identity handshake.", peers.getAsInt());
        gauge(out, "ensemble_signaling_rooms", "Rooms with at least one peer.", rooms.getAsInt());
        counter(
                out,
                "ensemble_signaling_connections_opened_total",
                "WebSocket connections accepted since start.",
                connectionsOpened.sum());
        labelled(
                out,
                "ensemble_signaling_messages_received_total",
                "Frames received, by message type.",
                "type",
                messagesReceived);
        labelled(
                out,
                "ensemble_signaling_bytes_received_total",
                "Bytes of frames received, by message type.",
                "type",
                bytesReceived);
        labelled(out, "ensemble_signaling_messages_sent_total", "Frames sent, by message type.", "type", messagesSent);
        labelled(
                out,
                "ensemble_signaling_bytes_sent_total",
                "Bytes of frames sent, by message type.",
                "type",
                bytesSent);
        labelled(
                out,
                "ensemble_signaling_errors_total",
                "Error frames sent and protocol closes, by error code.",
                "code",
                errors);
        counter(
                out,
                "ensemble_signaling_write_guard_rearms_total",
                "Connections whose queued frames the write guard had to re-arm for writing.",
                writeGuardRearms.sum());
        labelled(
                out,
                "ensemble_signaling_revocations_total",
                "Revocations members passed on with revoke, by outcome (accepted, known, ignored, refused, malformed).",
                "outcome",
                revocations);
        counter(
                out,
                "ensemble_signaling_revocation_evictions_total",
                "Members removed from a room because a revocation passed on shut them out.",
                revocationEvictions.sum());
        String name = "ensemble_signaling_relay_latency_seconds";
        out.append("# HELP ")
                .append(name)
                .append(" Time from receiving a signal or relay frame to queueing it for the addressee.\n");
        out.append("# TYPE ").append(name).append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i < LATENCY_BOUNDS_SECONDS.length; i++) {
            cumulative += latencyBuckets[i].sum();
            out.append(name)
                    .append("_bucket{le=\"")
                    .append(LATENCY_BOUNDS_SECONDS[i])
                    .append("\"} ")
                    .append(cumulative)
                    .append('\n');
        }
        cumulative += latencyBuckets[LATENCY_BOUNDS_SECONDS.length].sum();
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        out.append(name).append("_sum ").append(latencySumNanos.get() / 1e9).append('\n');
        out.append(name).append("_count ").append(latencyCount.sum()).append('\n');
        more.accept(out);
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void labelled(
            StringBuilder out, String name, String help, String label, Map<String, LongAdder> values) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(values)
                .forEach((value, adder) -> out.append(name)
                        .append('{')
                        .append(label)
                        .append("=\"")
                        .append(value)
                        .append("\"} ")
                        .append(adder.sum())
                        .append('\n'));
    }
}
