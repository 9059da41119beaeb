package dev.ensemble.signaling.cluster;

import dev.ensemble.transport.OwnerThread;
import dev.ensemble.transport.PeerId;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. Keeps this node's liveness key alive and removes the peers of nodes whose key has
 * expired. Runs on its own thread ({@code signaling-cluster-liveness}) with blocking Redis calls on a
 * connection of its own; it touches no room state: what it removes reaches every node (this one too)
 * as {@code peer-left} messages on the rooms' channels.
 *
 * <p>Every {@link #HEARTBEAT} it sets {@code node:ID:alive} with a TTL of {@link #TTL} (the round
 * trip is the Redis latency metric), then looks for registered nodes without that key. A node killed
 * right after a heartbeat is therefore found dead after at most TTL plus one heartbeat, 4 s, and its
 * peers' {@code peer-left} reach clients a few milliseconds later: {@link #DEAD_NODE_BOUND}.
 *
 * <p>When a heartbeat fails, Redis counts as down ({@link #isUp()} false: {@code /healthz} says
 * 503); the first heartbeat that succeeds again calls the recovery action (the node reconciles).
 */
final class NodeLiveness {

    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration TTL = Duration.ofSeconds(3);
    /** The stated bound from a node's death to {@code peer-left} for its peers on the other nodes. */
    static final Duration DEAD_NODE_BOUND = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(NodeLiveness.class);

    private final String self;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final ClusterMetrics metrics;
    private final BooleanSupplier connected;
    private final Runnable onRecovered;
    private final OwnerThread thread;
    /** Written by the liveness thread, read anywhere. */
    private volatile boolean up;

    /**
     * @param connected whether the node's other connections (commands, pub/sub) are open: Redis counts as
     *     up only when they are too, so that the recovery action finds them usable
     */
    NodeLiveness(
            String self,
            StatefulRedisConnection<byte[], byte[]> connection,
            BooleanSupplier connected,
            ClusterMetrics metrics,
            Runnable onRecovered) {
        this.self = self;
        this.connection = connection;
        this.connected = connected;
        this.metrics = metrics;
        this.onRecovered = onRecovered;
        this.thread = OwnerThread.start("signaling-cluster-liveness");
    }

    /** Registers the node at once (failing if Redis does not answer), then beats every {@link #HEARTBEAT}. */
    void start() {
        beatOnce();
        up = true;
        thread.scheduleAtFixedRate(HEARTBEAT, HEARTBEAT, this::beat);
    }

    boolean isUp() {
        return up;
    }

    /**
     * A connection to Redis dropped (Lettuce's thread): Redis counts as down at once, however short the
     * outage, so that the next heartbeat that succeeds reconciles. Any thread.
     */
    void connectionLost() {
        if (thread.isClosed()) {
            return; // the node is leaving: its connections close on purpose
        }
        if (up) {
            log.warn("node {}: lost a connection to Redis; serving local peers only until it answers again", self);
        }
        up = false;
        metrics.redis(false, 0);
    }

    /** Stops beating and removes the liveness key, so that the others do not wait for it to expire. */
    void stop() {
        thread.close();
        try {
            connection.sync().del(ClusterKeys.alive(self));
            connection.sync().srem(ClusterKeys.nodes(), ClusterKeys.bytes(self));
        } catch (RedisException e) {
            log.info("node {}: could not remove its liveness key on stop ({}); it expires in {}", self, e, TTL);
        }
    }

    private void beat() {
        try {
            beatOnce();
            if (!connected.getAsBoolean()) {
                throw new RedisException("the node's command or pub/sub connection is not open yet");
            }
            if (!up) {
                up = true;
                metrics.reconnected();
                log.info("node {}: Redis answers again; reconciling membership", self);
                onRecovered.run();
            }
            reapDeadNodes();
        } catch (RuntimeException e) {
            // Lettuce reports an unreachable Redis as RedisException; anything else must not end the heartbeat.
            if (up) {
                log.warn(
                        "node {}: Redis does not answer ({}); serving local peers only until it does",
                        self,
                        e.toString());
            }
            up = false;
            metrics.redis(false, 0);
        }
    }

    private void beatOnce() {
        RedisCommands<byte[], byte[]> redis = connection.sync();
        long start = System.nanoTime();
        redis.set(ClusterKeys.alive(self), ClusterKeys.bytes("1"), SetArgs.Builder.px(TTL.toMillis()));
        metrics.redis(true, System.nanoTime() - start);
        redis.sadd(ClusterKeys.nodes(), ClusterKeys.bytes(self));
    }

    private void reapDeadNodes() {
        RedisCommands<byte[], byte[]> redis = connection.sync();
        for (byte[] member : redis.smembers(ClusterKeys.nodes())) {
            String node = ClusterKeys.text(member);
            if (!node.equals(self) && redis.exists(ClusterKeys.alive(node)) == 0) {
                reap(redis, node);
            }
        }
    }

    /**
     * Removes a dead node's memberships and speaks for it: {@code peer-left} on each room's channel.
     * Several nodes may reap the same dead node at once; receivers ignore the repeated messages.
     */
    private void reap(RedisCommands<byte[], byte[]> redis, String node) {
        int peers = 0;
        byte[] nodeBytes = ClusterKeys.bytes(node);
        for (byte[] roomBytes : redis.smembers(ClusterKeys.nodeRooms(node))) {
            String room = ClusterKeys.text(roomBytes);
            byte[] roomKey = ClusterKeys.room(room);
            for (Map.Entry<byte[], byte[]> entry : redis.hgetall(roomKey).entrySet()) {
                if (!node.equals(ClusterKeys.text(entry.getValue()))) {
                    continue;
                }
                PeerId peer;
                try {
                    peer = PeerId.parse(ClusterKeys.text(entry.getKey()));
                } catch (IllegalArgumentException e) {
                    redis.hdel(roomKey, entry.getKey());
                    continue;
                }
                redis.eval(
                        RedisScripts.HDEL_IF_EQUAL,
                        ScriptOutputType.INTEGER,
                        new byte[][] {roomKey},
                        entry.getKey(),
                        nodeBytes);
                redis.eval(
                        RedisScripts.DEL_IF_EQUAL,
                        ScriptOutputType.INTEGER,
                        new byte[][] {ClusterKeys.peer(peer)},
                        nodeBytes);
                redis.publish(roomKey, ClusterCodec.encode(new ClusterMessage.PeerLeft(node, room, peer)));
                metrics.published();
                peers++;
            }
        }
        redis.del(ClusterKeys.nodeRooms(node));
        redis.srem(ClusterKeys.nodes(), nodeBytes);
        metrics.reaped();
        log.info("node {}: node {} stopped answering; removed its {} room memberships", self, node, peers);
    }
}
