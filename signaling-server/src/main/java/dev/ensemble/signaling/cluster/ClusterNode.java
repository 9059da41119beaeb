package dev.ensemble.signaling.cluster;

import dev.ensemble.transport.OwnerThread;
import dev.ensemble.transport.PeerId;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. This server as one node of a cluster sharing a Redis: it keeps the membership of the
 * rooms its peers are in, publishes its peers' joins and leaves on the rooms' channels, sends signals
 * and relay frames for peers on other nodes to those nodes' channels, and hands what other nodes
 * publish to the server through {@link LocalPeers}.
 *
 * <h2>Threading</h2>
 *
 * The room methods ({@link #prepare}, {@link #members}, {@link #joined}, {@link #left}, {@link
 * #claim}, {@link #release}, {@link #sendSignal}, {@link #sendFrame}, {@link #roomCount}) are called on
 * the server's room thread, the {@link OwnerThread} given at construction, and only there: the
 * {@link ClusterRoster} and the subscription state belong to it. Redis commands are asynchronous; a
 * reply or a pub/sub message arrives on a Lettuce thread, which only decodes it and hands it to the
 * room thread with {@link OwnerThread#execute}. {@link NodeLiveness} runs on a thread of its own.
 *
 * <h2>Joining a room this node does not follow yet</h2>
 *
 * {@link #prepare} subscribes to the room's channel, waits for the subscription, then reads the
 * room's hash. Another node publishes a join only after writing it to the hash, on one connection,
 * so every join is seen at least once, in the hash or on the channel. A peer that left while the
 * hash was being read is remembered so that the (older) hash does not bring it back.
 *
 * <h2>Delivery</h2>
 *
 * Redis pub/sub is at most once: a message published while a subscriber is disconnected is lost.
 * Messages from one node reach another in the order published (one connection each way), so the
 * frames of one sender to one receiver stay in order.
 */
public final class ClusterNode implements AutoCloseable {

    /**
     * The most time from a node's death (SIGKILL, a lost machine) to {@code peer-left} for its peers on the
     * other nodes: its liveness key's TTL plus one heartbeat, and a second for a busy machine.
     */
    public static final Duration DEAD_NODE_BOUND = NodeLiveness.DEAD_NODE_BOUND;

    /**
     * After Redis returns, how long to wait before the full resync of each room, which also removes
     * members nobody wrote back (their node died meanwhile): every live node rewrites within a
     * heartbeat or two.
     */
    static final Duration RESYNC_DELAY = NodeLiveness.HEARTBEAT.multipliedBy(3);

    /** How long to gather a reaper's leaves before reconciling once. */
    static final Duration RECONCILE_DEBOUNCE = Duration.ofMillis(200);

    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final byte[] idBytes;
    private final OwnerThread roomThread;
    private final ClusterMetrics metrics = new ClusterMetrics();
    private final RedisConnections redis;
    /** Set once by start(), before the server serves; then read on any thread. */
    private volatile NodeLiveness liveness;

    /** Room thread only. */
    private final ClusterRoster roster;
    /** Room thread only: rooms whose channel this node subscribed to. */
    private final Set<String> subscribed = new HashSet<>();
    /** Room thread only: rooms being prepared, with what to run once they are. */
    private final Map<String, List<Runnable>> preparing = new HashMap<>();
    /** Room thread only: peers that left a room while it was being prepared. */
    private final Map<String, Set<PeerId>> leftWhilePreparing = new HashMap<>();
    /** Room thread only: rooms whose last change could not be written to Redis. */
    private final Set<String> dirty = new HashSet<>();
    /** Room thread only: a reconciliation is scheduled. */
    private boolean reconcileScheduled;
    /** Set by start(); used on the room thread. */
    private volatile LocalPeers local;

    /**
     * A node for the Redis at {@code redisUri}; nothing connects until {@link #start}.
     *
     * @param redisUri {@code redis://[:password@]host:port[/db]} or {@code rediss://...}
     * @param roomThread the server's room thread
     * @throws IllegalArgumentException if {@code redisUri} is not a Redis URI
     */
    public ClusterNode(String redisUri, OwnerThread roomThread) {
        this.redis = new RedisConnections(redisUri);
        this.roomThread = Objects.requireNonNull(roomThread, "roomThread");
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        this.id = HexFormat.of().formatHex(random);
        this.idBytes = ClusterKeys.bytes(id);
        this.roster = new ClusterRoster(id);
    }

    /**
     * Checks a Redis URI as {@code --redis} takes it and describes it without its password.
     *
     * @return {@code redis://host:port/db} (or {@code rediss://...})
     * @throws IllegalArgumentException naming the rule the URI breaks
     */
    public static String checkRedisUri(String redisUri) {
        return RedisConnections.describe(RedisConnections.parse(redisUri));
    }

    /** This node's id (12 hex digits, new at every start), as in its channel and log lines. */
    public String id() {
        return id;
    }

    /**
     * Connects, subscribes to this node's channel, registers the node and starts its heartbeat. Call
     * once, before the server serves.
     *
     * @throws IOException if Redis does not answer
     */
    public void start(LocalPeers local) throws IOException {
        this.local = Objects.requireNonNull(local, "local");
        try {
            redis.open(this::received, () -> {
                NodeLiveness beating = liveness;
                if (beating != null) {
                    beating.connectionLost();
                }
            });
            NodeLiveness beating = new NodeLiveness(
                    id, redis.heartbeat(), redis::isOpen, metrics, () -> roomThread.execute(this::reconcile));
            redis.subscribeNow(ClusterKeys.node(id));
            beating.start();
            liveness = beating;
        } catch (RedisException e) {
            redis.close();
            throw new IOException("cannot reach Redis at " + redis.describe() + ": " + e.getMessage(), e);
        }
        log.info("node {}: joined the cluster on {}", id, redis.describe());
    }

    /** Whether Redis answers this node (false: {@code /healthz} says 503). Any thread. */
    public boolean isHealthy() {
        NodeLiveness beating = liveness;
        return beating != null && beating.isUp() && redis.isOpen();
    }

    /** Metrics of this node. Any thread. */
    public ClusterMetrics metrics() {
        return metrics;
    }

    // ---- Lettuce threads: decode, then hand over ----

    private void received(byte[] bytes) {
        ClusterMessage message;
        try {
            message = ClusterCodec.decode(bytes);
        } catch (MalformedClusterMessageException e) {
            metrics.malformed();
            long count = metrics.malformedCount();
            if (count <= 10 || count % 1000 == 0) {
                log.warn("node {}: dropped a malformed cluster message ({} so far): {}", id, count, e.getMessage());
            }
            return;
        }
        metrics.received();
        if (!roomThread.execute(() -> apply(message))) {
            log.debug(
                    "node {}: room thread stopped; dropping {}",
                    id,
                    message.getClass().getSimpleName());
        }
    }

    // ---- room thread ----

    /** Runs {@code ready} on the room thread once the membership of {@code room} is known here. */
    public void prepare(String room, Runnable ready) {
        checkThread("prepare");
        if (roster.follows(room) && !preparing.containsKey(room)) {
            ready.run();
            return;
        }
        List<Runnable> waiting = preparing.get(room);
        if (waiting != null) {
            waiting.add(ready);
            return;
        }
        waiting = new ArrayList<>();
        waiting.add(ready);
        preparing.put(room, waiting);
        leftWhilePreparing.put(room, new HashSet<>());
        roster.follow(room);
        byte[] key = ClusterKeys.room(room);
        CompletionStage<Map<byte[], byte[]>> members;
        try {
            members = redis.pubsub()
                    .subscribe(key)
                    .thenCompose(ignored -> redis.commands().hgetall(key));
        } catch (RedisException e) {
            members = CompletableFuture.failedFuture(e);
        }
        members.whenComplete((hash, failure) -> roomThread.execute(() -> prepared(room, hash, failure)));
    }

    private void prepared(String room, Map<byte[], byte[]> hash, Throwable failure) {
        Set<PeerId> departed = leftWhilePreparing.remove(room);
        List<Runnable> waiting = preparing.remove(room);
        if (failure != null) {
            log.warn(
                    "node {}: cannot read room {} from Redis ({}); serving it with this node's peers only",
                    id,
                    room,
                    failure.toString());
            dirty.add(room);
        } else {
            subscribed.add(room);
            merge(room, hash, departed, false);
        }
        if (waiting != null) {
            waiting.forEach(Runnable::run);
        }
    }

    /**
     * Runs {@code ready} on the room thread after reading {@code room} from Redis again, dropping members
     * of other nodes that left meanwhile (their leave may still be on its way); at once if Redis fails.
     */
    public void refresh(String room, Runnable ready) {
        checkThread("refresh");
        CompletionStage<Map<byte[], byte[]>> members;
        try {
            members = redis.commands().hgetall(ClusterKeys.room(room));
        } catch (RedisException e) {
            members = CompletableFuture.failedFuture(e);
        }
        members.whenComplete((hash, failure) -> roomThread.execute(() -> {
            if (failure == null) {
                merge(room, hash, null, true);
            }
            ready.run();
        }));
    }

    /** Members of {@code room} on every node, in join order (empty if no peer of this node is in it). */
    public Set<PeerId> members(String room) {
        checkThread("members");
        return roster.members(room);
    }

    /** Rooms this node follows that have members. */
    public int roomCount() {
        return roster.roomCount();
    }

    /** The local {@code peer} joined {@code room} (after {@link #prepare}). */
    public void joined(String room, PeerId peer) {
        checkThread("joined");
        roster.put(room, peer, id);
        updateMembership();
        byte[] key = ClusterKeys.room(room);
        byte[] peerBytes = ClusterKeys.bytes(peer.toString());
        RedisAsyncCommands<byte[], byte[]> commands = redis.commands();
        watch(room, commands.hset(key, peerBytes, idBytes));
        watch(room, commands.sadd(ClusterKeys.nodeRooms(id), ClusterKeys.bytes(room)));
        publish(room, key, new ClusterMessage.PeerJoined(id, room, peer));
    }

    /**
     * The local {@code peer} left {@code room}.
     *
     * @return false if the room's entry for the peer was already another node's (a newer connection of
     *     it there joined first): its members were told already
     */
    public boolean left(String room, PeerId peer) {
        checkThread("left");
        boolean wasHere = roster.remove(room, peer, id);
        byte[] key = ClusterKeys.room(room);
        RedisAsyncCommands<byte[], byte[]> commands = redis.commands();
        watch(
                room,
                commands.eval(
                        RedisScripts.HDEL_IF_EQUAL,
                        ScriptOutputType.INTEGER,
                        new byte[][] {key},
                        ClusterKeys.bytes(peer.toString()),
                        idBytes));
        publish(room, key, new ClusterMessage.PeerLeft(id, room, peer));
        if (roster.localMembers(room).isEmpty() && !preparing.containsKey(room)) {
            // No local peer needs the room's events any more: stop following it.
            roster.drop(room);
            if (subscribed.remove(room)) {
                guard(redis.pubsub().unsubscribe(key));
            }
            watch(room, commands.srem(ClusterKeys.nodeRooms(id), ClusterKeys.bytes(room)));
        }
        updateMembership();
        return wasHere;
    }

    /** A connection of this node verified {@code peer}: a connection of it on another node is replaced. */
    public void claim(PeerId peer) {
        checkThread("claim");
        try {
            redis.commands().setGet(ClusterKeys.peer(peer), idBytes).whenComplete((previous, failure) -> {
                if (previous != null && !ClusterKeys.text(previous).equals(id)) {
                    // A Lettuce thread, but only Redis is touched here: tell the previous holder.
                    publishNow(
                            ClusterKeys.node(ClusterKeys.text(previous)),
                            ClusterCodec.encode(new ClusterMessage.Replaced(id, peer)));
                }
            });
        } catch (RedisException e) {
            metrics.publishFailed();
        }
    }

    /** The connection of {@code peer} on this node ended. */
    public void release(PeerId peer) {
        checkThread("release");
        try {
            guard(redis.commands()
                    .eval(
                            RedisScripts.DEL_IF_EQUAL,
                            ScriptOutputType.INTEGER,
                            new byte[][] {ClusterKeys.peer(peer)},
                            idBytes));
        } catch (RedisException e) {
            metrics.publishFailed();
        }
    }

    /** Sends a relayed signal to {@code to} on another node; false if no followed room has it. */
    public boolean sendSignal(PeerId to, String json) {
        checkThread("sendSignal");
        String node = roster.nodeOf(to);
        if (node == null || node.equals(id)) {
            return false;
        }
        publishNow(ClusterKeys.node(node), ClusterCodec.encode(new ClusterMessage.RelayedSignal(id, to, json)));
        return true;
    }

    /** Sends a relay frame to {@code to} on another node; false if no followed room has it. */
    public boolean sendFrame(PeerId to, byte[] frame) {
        checkThread("sendFrame");
        String node = roster.nodeOf(to);
        if (node == null || node.equals(id)) {
            return false;
        }
        publishNow(ClusterKeys.node(node), ClusterCodec.encode(new ClusterMessage.RelayedFrame(id, to, frame)));
        return true;
    }

    private void apply(ClusterMessage message) {
        if (message instanceof ClusterMessage.RelayedSignal signal) {
            local.deliverSignal(signal.to(), signal.json());
        } else if (message instanceof ClusterMessage.RelayedFrame frame) {
            local.deliverFrame(frame.to(), frame.frame());
        } else if (message instanceof ClusterMessage.Replaced replaced) {
            local.replacedElsewhere(replaced.peer());
        } else if (message.node().equals(id)) {
            // Our own room event, echoed by the room's channel; but a leave of a peer this node still
            // holds was published by a node that took this one for dead (its heartbeat came late).
            if (message instanceof ClusterMessage.PeerLeft left
                    && roster.localMembers(left.room()).contains(left.peer())) {
                reconcileSoon();
            }
        } else if (message instanceof ClusterMessage.PeerJoined joined) {
            if (roster.follows(joined.room())) {
                add(joined.room(), joined.peer(), joined.node());
            }
        } else if (message instanceof ClusterMessage.PeerLeft left) {
            Set<PeerId> departed = leftWhilePreparing.get(left.room());
            if (departed != null) {
                departed.add(left.peer());
            }
            if (roster.remove(left.room(), left.peer(), left.node())) {
                local.remoteLeft(left.room(), left.peer());
            }
        } else if (message instanceof ClusterMessage.Roster list) {
            if (roster.follows(list.room())) {
                Set<PeerId> now = new HashSet<>(list.peers());
                for (PeerId gone : roster.membersOn(list.room(), list.node())) {
                    if (!now.contains(gone) && roster.remove(list.room(), gone, list.node())) {
                        local.remoteLeft(list.room(), gone);
                    }
                }
                for (PeerId peer : list.peers()) {
                    add(list.room(), peer, list.node());
                }
            }
        }
        updateMembership();
    }

    private void add(String room, PeerId peer, String node) {
        switch (roster.put(room, peer, node)) {
            case ADDED -> local.remoteJoined(room, peer);
            case MOVED -> {
                // A newer connection on another node: as on one server, the old one leaves, the new one joins.
                local.remoteLeft(room, peer);
                local.remoteJoined(room, peer);
            }
            case NONE -> {}
        }
    }

    /**
     * Takes the room's members from its Redis hash: adds those this node did not know; with {@code
     * full}, also removes those of other nodes the hash no longer has.
     */
    private void merge(String room, Map<byte[], byte[]> hash, Set<PeerId> departed, boolean full) {
        if (!roster.follows(room)) {
            return;
        }
        Set<PeerId> present = new HashSet<>();
        for (Map.Entry<byte[], byte[]> entry : hash.entrySet()) {
            String node = ClusterKeys.text(entry.getValue());
            PeerId peer;
            try {
                peer = PeerId.parse(ClusterKeys.text(entry.getKey()));
            } catch (IllegalArgumentException e) {
                metrics.malformed();
                continue;
            }
            present.add(peer);
            if (!node.equals(id) && (departed == null || !departed.contains(peer)) && ClusterCodec.isNodeId(node)) {
                add(room, peer, node);
            }
        }
        if (full) {
            for (PeerId member : new ArrayList<>(roster.members(room))) {
                String node = roster.nodeOf(member);
                if (!present.contains(member)
                        && node != null
                        && !node.equals(id)
                        && roster.remove(room, member, node)) {
                    local.remoteLeft(room, member);
                }
            }
        }
        updateMembership();
    }

    /**
     * After Redis returned (possibly empty, after a restart): writes this node's memberships again,
     * tells the others the full list of its peers per room (which also undoes leaves it could not
     * publish), reads each room back, and a little later reads it again to drop members whose node
     * never came back.
     */
    private void reconcile() {
        Set<String> rooms = new HashSet<>(roster.rooms());
        rooms.addAll(dirty);
        RedisAsyncCommands<byte[], byte[]> commands;
        try {
            commands = redis.commands();
        } catch (RedisException e) {
            return;
        }
        for (String room : rooms) {
            byte[] key = ClusterKeys.room(room);
            List<PeerId> mine = roster.localMembers(room);
            for (PeerId peer : mine) {
                watch(room, commands.hset(key, ClusterKeys.bytes(peer.toString()), idBytes));
                watch(room, commands.set(ClusterKeys.peer(peer), idBytes));
            }
            if (!mine.isEmpty()) {
                watch(room, commands.sadd(ClusterKeys.nodeRooms(id), ClusterKeys.bytes(room)));
            }
            publish(room, key, new ClusterMessage.Roster(id, room, mine));
            if (roster.follows(room)) {
                guard(redis.pubsub().subscribe(key).thenRun(() -> roomThread.execute(() -> subscribed.add(room))));
                resync(room, false);
                roomThread.schedule(RESYNC_DELAY, () -> resync(room, true));
            }
        }
        dirty.clear();
    }

    /** Once for a burst of reasons (a reaper's leaves arrive one per peer). */
    private void reconcileSoon() {
        if (!reconcileScheduled) {
            reconcileScheduled = true;
            log.warn("node {}: another node took this one for dead; writing its memberships back", id);
            roomThread.schedule(RECONCILE_DEBOUNCE, () -> {
                reconcileScheduled = false;
                reconcile();
            });
        }
    }

    private void resync(String room, boolean full) {
        if (!roster.follows(room)) {
            return;
        }
        try {
            redis.commands().hgetall(ClusterKeys.room(room)).whenComplete((hash, failure) -> {
                if (failure == null) {
                    roomThread.execute(() -> merge(room, hash, null, full));
                }
            });
        } catch (RedisException e) {
            dirty.add(room);
        }
    }

    private void publish(String room, byte[] channel, ClusterMessage message) {
        try {
            watch(room, redis.commands().publish(channel, ClusterCodec.encode(message)));
            metrics.published();
        } catch (RedisException e) {
            metrics.publishFailed();
            dirty.add(room);
        }
    }

    /** Publishes from any thread; a failure is counted (pub/sub is at most once anyway). */
    private void publishNow(byte[] channel, byte[] message) {
        try {
            guard(redis.commands().publish(channel, message));
            metrics.published();
        } catch (RedisException e) {
            metrics.publishFailed();
        }
    }

    /** Marks {@code room} for reconciliation if {@code command} fails. */
    private void watch(String room, CompletionStage<?> command) {
        command.whenComplete((ignored, failure) -> {
            if (failure != null) {
                metrics.publishFailed();
                roomThread.execute(() -> dirty.add(room));
            }
        });
    }

    private void guard(CompletionStage<?> command) {
        command.whenComplete((ignored, failure) -> {
            if (failure != null) {
                metrics.publishFailed();
            }
        });
    }

    private void updateMembership() {
        metrics.membership(roster.size());
    }

    private void checkThread(String what) {
        roomThread.checkOwnerThread("ClusterNode." + what);
    }

    /**
     * Leaves the cluster: stops the heartbeat, removes the liveness key, and closes the connections
     * after the commands already sent have completed. Call after the room thread stopped.
     */
    @Override
    public void close() {
        try {
            roomThread.awaitTermination(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        NodeLiveness beating = liveness;
        if (beating != null) {
            beating.stop();
            if (!redis.flush()) {
                log.info("node {}: Redis did not confirm the last leaves; the others clean up after the TTL", id);
            }
        }
        redis.close();
        log.info("node {}: left the cluster", id);
    }
}
