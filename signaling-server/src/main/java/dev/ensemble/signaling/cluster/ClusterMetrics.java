package dev.ensemble.signaling.cluster;

import java.util.concurrent.atomic.LongAdder;

/**
 * INTERNAL API. A node's cluster counters, rendered in the Prometheus text format after the server's
 * own metrics.
 *
 * <p>Thread-safe: written on the room thread, Lettuce's threads and the liveness thread, read by the
 * metrics HTTP thread.
 */
public final class ClusterMetrics {

    private final LongAdder framesOut = new LongAdder();
    private final LongAdder framesIn = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder nodesReaped = new LongAdder();
    private volatile long redisLatencyNanos = -1;
    private volatile boolean redisUp;
    private volatile int membership;

    void published() {
        framesOut.increment();
    }

    void received() {
        framesIn.increment();
    }

    void malformed() {
        malformed.increment();
    }

    /** Messages on Redis channels that could not be read and were dropped. */
    public long malformedCount() {
        return malformed.sum();
    }

    void reconnected() {
        reconnects.increment();
    }

    void publishFailed() {
        publishFailures.increment();
    }

    void reaped() {
        nodesReaped.increment();
    }

    void redis(boolean up, long latencyNanos) {
        redisUp = up;
        if (up) {
            redisLatencyNanos = latencyNanos;
        }
    }

    void membership(int entries) {
        membership = entries;
    }

    /** Appends the cluster metrics to {@code out}. */
    public void render(StringBuilder out) {
        counter(out, "cluster_frames_out_total", "Messages this node published to Redis channels.", framesOut.sum());
        counter(out, "cluster_frames_in_total", "Messages this node received from Redis channels.", framesIn.sum());
        counter(
                out,
                "cluster_malformed_total",
                "Messages on Redis channels that could not be read (another writer or version) and were dropped.",
                malformed.sum());
        counter(
                out,
                "cluster_publish_failures_total",
                "Publishes that failed because Redis was unreachable (the message was lost).",
                publishFailures.sum());
        counter(out, "cluster_redis_reconnects_total", "Times Redis became reachable again.", reconnects.sum());
        counter(out, "cluster_nodes_reaped_total", "Dead nodes whose peers this node removed.", nodesReaped.sum());
        gauge(out, "cluster_redis_up", "1 while Redis answers this node's heartbeat.", redisUp ? "1" : "0");
        long latency = redisLatencyNanos;
        gauge(
                out,
                "cluster_redis_latency_seconds",
                "Round trip of the last heartbeat command to Redis.",
                latency < 0 ? "NaN" : Double.toString(latency / 1e9));
        gauge(
                out,
                "cluster_membership",
                "Room memberships (peer, room) this node knows of, in the rooms it follows.",
                Integer.toString(membership));
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        String full = "ensemble_signaling_" + name;
        out.append("# HELP ").append(full).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(full).append(" counter\n");
        out.append(full).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, String value) {
        String full = "ensemble_signaling_" + name;
        out.append("# HELP ").append(full).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(full).append(" gauge\n");
        out.append(full).append(' ').append(value).append('\n');
    }
}
