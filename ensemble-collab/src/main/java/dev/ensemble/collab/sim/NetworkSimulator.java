package dev.ensemble.collab.sim;

import dev.ensemble.collab.sim.TraceEvent.Type;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * A deterministic network of in-memory {@link Transport}s in virtual time, for testing the layers
 * above the transport SPI with many peers, bad links and partitions, and replaying any failure
 * exactly.
 *
 * <h2>Virtual time and delivery</h2>
 *
 * Nothing happens by itself. A {@code send} draws the message's fate and schedules its delivery
 * in a queue ordered by (delivery time, scheduling sequence); connection events are scheduled
 * the same way. Only {@link #step()}, {@link #runFor(Duration)}, {@link #runUntil(BooleanSupplier,
 * int)} and {@link #runUntilQuiet(int)} deliver, on the calling thread, one event after another
 * in that order, advancing the virtual clock ({@link #now()}, {@link #clock()}) to each event's
 * time. A callback may send (for example a reply): the send is queued and delivered by a later
 * step, so nothing recurses.
 *
 * <pre>
 *  send(a→b) ─► fate drawn from seed ─► queue (time, seq) ─► step() ─► b.onMessage
 *              lost/delayed/duplicated          ▲                     │
 *                                               └──── replies sent ───┘
 * </pre>
 *
 * <h2>Determinism</h2>
 *
 * Every random decision comes from one {@link SplittableRandom} created from the seed, drawn in a
 * fixed order: four draws per send accepted on a link that is up (loss, duplication, latency,
 * latency of the duplicate), nothing else. Peers are visited in {@link PeerId} order. So the same seed and the
 * same sequence of calls replay exactly, which {@link #trace()} shows. Use {@link #chooseSeed()}
 * so that a failing run can be repeated with {@code -Densemble.sim.seed=<seed>}; errors of the
 * simulator name the seed.
 *
 * <h2>Connections</h2>
 *
 * Two peers are connected while both have a started, open transport and both are online. A
 * change is reported to both listeners ({@code onPeerConnected} / {@code onPeerDisconnected}) at
 * the current virtual time. {@link #goOffline(PeerId)} disconnects a peer from everyone and
 * drops what is in flight to and from it, and what is sent to or from it before the senders are
 * told (accepted and lost, as a write into a connection that just failed; no random draws);
 * {@link #goOnline(PeerId)} reconnects it. A {@link
 * #partition(Set, Set) partition} is different: connections stay up but every message between
 * the two sides is dropped, in both directions, until {@link #heal()}, as when a network cuts
 * traffic before any timeout notices.
 *
 * <h2>Ordering</h2>
 *
 * Deliveries happen in (time, sequence) order. On a link with {@code minLatency == maxLatency},
 * messages arrive in the order they were sent (FIFO per link, also with bandwidth limits, since
 * departures are serialized); a duplicate arrives right after its original. With a latency
 * spread, later messages may overtake earlier ones. Across different links nothing is ordered
 * but time.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe through one monitor, but meant to be driven by one test thread: callbacks run on
 * the thread that calls a run method, while the monitor is held, so they must not wait for other
 * threads that use the simulator. Calling a run method from inside a callback is an error.
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * NetworkSimulator network = NetworkSimulator.builder()
 *     .seed(NetworkSimulator.chooseSeed())
 *     .conditions(LinkConditions.builder().latency(Duration.ofMillis(5), Duration.ofMillis(50))
 *         .lossRate(0.01).build())
 *     .build();
 * PeerId aliceId = PeerIdentity.generate().peerId();   // in tests: TestPeers.id("alice")
 * PeerId bobId = PeerIdentity.generate().peerId();
 * Transport alice = network.transportFor(aliceId);
 * Transport bob = network.transportFor(bobId);
 * alice.start(aliceListener);
 * bob.start(bobListener);
 * network.runUntilQuiet(10_000);            // connection events delivered
 * alice.send(bobId, frame);
 * network.runFor(Duration.ofSeconds(1));     // bobListener.onMessage, replies, ...
 * }</pre>
 */
public final class NetworkSimulator {

    /** The system property that fixes the seed chosen by {@link #chooseSeed()}. */
    public static final String SEED_PROPERTY = "ensemble.sim.seed";
    /** Default {@link Transport#maxMessageSize()} of the simulated transports: 64 KiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;
    /** Default bytes a link with limited bandwidth may hold in its send queue: 4 MiB. */
    public static final int DEFAULT_SEND_BUFFER_BYTES = 4 * 1024 * 1024;
    /** Default number of trace entries kept (the most recent ones). */
    public static final int DEFAULT_TRACE_CAPACITY = 100_000;
    /** Default bound on the steps of one {@link #runFor} or {@link #runUntil} call. */
    public static final int DEFAULT_MAX_STEPS_PER_RUN = 10_000_000;

    private final long seed;
    private final SplittableRandom random;
    private final LinkConditions defaultConditions;
    private final int maxMessageSize;
    private final int sendBufferBytes;
    private final int traceCapacity;
    private final int maxStepsPerRun;

    // Everything below is guarded by this simulator's monitor.
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
    private final Map<PeerId, SimulatedTransport> transports = new TreeMap<>();
    private final Set<PeerId> offline = new TreeSet<>();
    private final Set<Pair> partitioned = new HashSet<>();
    private final Map<Pair, Link> links = new HashMap<>();
    private final Map<Direction, LinkConditions> conditions = new HashMap<>();
    private final Map<Direction, Lane> lanes = new HashMap<>();
    private final ArrayDeque<TraceEvent> trace = new ArrayDeque<>();
    private long nowNanos;
    private long nextSequence;
    private boolean delivering;
    private long sent;
    private long rejected;
    private long delivered;
    private long lost;
    private long duplicated;
    private long droppedByPartition;
    private long droppedByLinkDown;

    private NetworkSimulator(Builder builder) {
        this.seed = builder.seed;
        this.random = new SplittableRandom(builder.seed);
        this.defaultConditions = builder.conditions;
        this.maxMessageSize = builder.maxMessageSize;
        this.sendBufferBytes = builder.sendBufferBytes;
        this.traceCapacity = builder.traceCapacity;
        this.maxStepsPerRun = builder.maxStepsPerRun;
    }

    /**
     * Returns a builder; the seed must be set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the seed in the system property {@value #SEED_PROPERTY} if it is set, otherwise a
     * fresh random seed. Tests use it so that every run explores another seed and a failing one
     * can be replayed.
     *
     * @return the seed to use
     * @throws IllegalArgumentException if the property is set but is not a decimal long
     */
    public static long chooseSeed() {
        String value = System.getProperty(SEED_PROPERTY);
        if (value == null || value.isBlank()) {
            return new SplittableRandom().nextLong();
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "system property " + SEED_PROPERTY + " must be a decimal long such as -6142535731295318413, was \""
                            + value + "\"",
                    e);
        }
    }

    /**
     * Returns the seed this simulation was built from.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns the limit of every simulated transport.
     *
     * @return bytes
     */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Creates the transport of a peer. The peer is online unless {@link #goOffline(PeerId)} was
     * called for it. After the transport is closed, calling this again creates a new one for the
     * same peer, as when a peer restarts.
     *
     * @param peer the peer
     * @return its transport, not yet started
     * @throws IllegalStateException if the peer already has an open transport
     */
    public synchronized Transport transportFor(PeerId peer) {
        Objects.requireNonNull(peer, "peer");
        SimulatedTransport existing = transports.get(peer);
        if (existing != null && !existing.closed) {
            throw new IllegalStateException("peer " + peer + " already has an open transport on this"
                    + " simulator; close it first to simulate a restart");
        }
        SimulatedTransport transport = new SimulatedTransport(this, peer);
        transports.put(peer, transport);
        return transport;
    }

    /**
     * Sets the conditions of the link from one peer to another (one direction), replacing the
     * default for that direction. Applies to messages sent from now on.
     *
     * @param from the sender
     * @param to the receiver
     * @param linkConditions the conditions
     */
    public synchronized void setLinkConditions(PeerId from, PeerId to, LinkConditions linkConditions) {
        conditions.put(new Direction(from, to), Objects.requireNonNull(linkConditions, "conditions"));
    }

    /**
     * Cuts all traffic between every peer of {@code a} and every peer of {@code b}, both ways,
     * including messages already in flight. Connections stay up; other traffic is unaffected.
     *
     * @param a one side
     * @param b the other side
     */
    public synchronized void partition(Set<PeerId> a, Set<PeerId> b) {
        for (PeerId x : new TreeSet<>(a)) {
            for (PeerId y : new TreeSet<>(b)) {
                if (!x.equals(y)) {
                    partitioned.add(Pair.of(x, y));
                }
            }
        }
        record(Type.PARTITIONED, null, null, 0, new TreeSet<>(a) + " | " + new TreeSet<>(b));
    }

    /** Removes every partition; messages sent from now on flow again. */
    public synchronized void heal() {
        partitioned.clear();
        record(Type.HEALED, null, null, 0, "");
    }

    /**
     * Takes a peer off the network: it and each peer it was connected to are told of the
     * disconnect, and messages in flight to or from it are dropped.
     *
     * @param peer the peer
     */
    public synchronized void goOffline(PeerId peer) {
        if (offline.add(peer)) {
            record(Type.OFFLINE, peer, null, 0, "");
            refresh(peer, peer + " went offline");
        }
    }

    /**
     * Puts a peer back on the network: it reconnects to every online peer with a started
     * transport.
     *
     * @param peer the peer
     */
    public synchronized void goOnline(PeerId peer) {
        if (offline.remove(peer)) {
            record(Type.ONLINE, peer, null, 0, "");
            refresh(peer, "");
        }
    }

    /**
     * Returns the virtual time since the simulation began.
     *
     * @return the elapsed virtual time
     */
    public synchronized Duration now() {
        return Duration.ofNanos(nowNanos);
    }

    /**
     * Returns a clock that reads the virtual time, starting at {@link Instant#EPOCH}, for
     * components that take a clock (such as a chunk reassembler).
     *
     * @return a live view of the virtual clock
     */
    public InstantSource clock() {
        return () -> Instant.EPOCH.plus(now());
    }

    /**
     * Delivers the next scheduled event, advancing virtual time to it.
     *
     * @return {@code false} if nothing was scheduled
     * @throws IllegalStateException if called from inside a callback, or if a listener threw
     *     (the message names the peer, the event and the seed)
     */
    public synchronized boolean step() {
        if (delivering) {
            throw new IllegalStateException("step() and the run methods must not be called from inside"
                    + " a transport callback; return from the callback and let the running loop go on");
        }
        Scheduled next = queue.poll();
        if (next == null) {
            return false;
        }
        nowNanos = Math.max(nowNanos, next.timeNanos);
        delivering = true;
        try {
            next.run();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "the listener of " + next.target.peer + " threw while"
                            + " handling " + next + " at t=" + now() + " (seed " + seed + "; re-run with -D"
                            + SEED_PROPERTY + "=" + seed + ")",
                    e);
        } finally {
            delivering = false;
        }
        return true;
    }

    /**
     * Delivers every event due within {@code duration} of virtual time, then sets the clock to the
     * end of that period.
     *
     * @param duration how much virtual time to let pass
     * @return the number of events processed
     * @throws IllegalStateException if more than the builder's {@code maxStepsPerRun} events are
     *     due (e.g. peers answering each other forever with zero latency)
     */
    public synchronized int runFor(Duration duration) {
        long deadline = nowNanos + duration.toNanos();
        int steps = 0;
        while (!queue.isEmpty() && queue.peek().timeNanos <= deadline) {
            checkSteps(++steps, "runFor(" + duration + ")");
            step();
        }
        nowNanos = Math.max(nowNanos, deadline);
        return steps;
    }

    /**
     * Delivers events until {@code condition} holds (checked before each step) or nothing is
     * left to deliver.
     *
     * @param condition what to wait for; evaluated on this thread
     * @param maxSteps the most events to process
     * @return whether the condition holds
     */
    public synchronized boolean runUntil(BooleanSupplier condition, int maxSteps) {
        for (int steps = 0; steps < maxSteps; steps++) {
            if (condition.getAsBoolean() || !step()) {
                return condition.getAsBoolean();
            }
        }
        return condition.getAsBoolean();
    }

    /**
     * Delivers events until none is left.
     *
     * @param maxSteps the most events to process
     * @return the number of events processed
     * @throws IllegalStateException if events are still scheduled after {@code maxSteps}; the
     *     message names the seed
     */
    public synchronized int runUntilQuiet(int maxSteps) {
        int steps = 0;
        while (!queue.isEmpty()) {
            if (steps == maxSteps) {
                throw new IllegalStateException("the network is not quiet after " + maxSteps + " steps:"
                        + " " + queue.size() + " events still scheduled at t=" + now() + ", next "
                        + queue.peek()
                        + " (seed " + seed + "; re-run with -D" + SEED_PROPERTY + "=" + seed + ")");
            }
            step();
            steps++;
        }
        return steps;
    }

    /**
     * Returns how many events are scheduled and not yet delivered.
     *
     * @return the number of pending events
     */
    public synchronized int pendingEvents() {
        return queue.size();
    }

    /**
     * Returns the most recent trace entries, oldest first, at most the builder's {@code
     * traceCapacity}.
     *
     * @return a copy of the trace
     */
    public synchronized List<TraceEvent> trace() {
        return new ArrayList<>(trace);
    }

    /**
     * Returns the counters since the simulation began.
     *
     * @return a snapshot
     */
    public synchronized NetworkStats stats() {
        return new NetworkStats(sent, rejected, delivered, lost, duplicated, droppedByPartition, droppedByLinkDown);
    }

    @Override
    public synchronized String toString() {
        return "NetworkSimulator[seed=" + seed + ", t=" + now() + ", peers=" + transports.keySet() + ", pending="
                + queue.size() + "]";
    }

    // ---- called by SimulatedTransport ----

    synchronized void start(SimulatedTransport transport, TransportListener listener) {
        Objects.requireNonNull(listener, "listener (use TransportListener.NONE to ignore events)");
        if (transport.started || transport.closed) {
            throw new IllegalStateException(transport + " was already " + (transport.closed ? "closed" : "started")
                    + "; start() may be called once");
        }
        transport.listener = listener;
        transport.started = true;
        refresh(transport.peer, "");
    }

    synchronized boolean send(SimulatedTransport from, PeerId to, byte[] message) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(message, "message");
        if (!from.started || from.closed) {
            return reject(from.peer, to, message.length, from.closed ? "transport closed" : "transport not started");
        }
        if (message.length > maxMessageSize) {
            return reject(
                    from.peer,
                    to,
                    message.length,
                    "message of " + message.length + " bytes exceeds maxMessageSize " + maxMessageSize);
        }
        Link link = links.get(Pair.of(from.peer, to));
        if (!from.connectedPeers.contains(to)) {
            return reject(from.peer, to, message.length, "peer not connected");
        }
        if (link == null || !link.up) {
            // The link went down, and the sender has not been told yet (the disconnect is queued
            // for the next run): the message is lost in the failed connection, as on a real
            // network. Refusing it would make a sender retry on its own wall-clock timer, and the
            // run would no longer replay from its seed.
            sent++;
            record(Type.SENT, from.peer, to, message.length, "");
            droppedByLinkDown++;
            record(Type.DROPPED_BY_LINK_DOWN, from.peer, to, message.length, "at send");
            return true;
        }
        Direction direction = new Direction(from.peer, to);
        LinkConditions linkConditions = conditions.getOrDefault(direction, defaultConditions);
        Lane lane = lanes.computeIfAbsent(direction, d -> new Lane());
        lane.prune(nowNanos);
        long bandwidth = linkConditions.bandwidthBytesPerSecond();
        if (bandwidth > 0 && lane.queuedBytes + message.length > sendBufferBytes) {
            return reject(
                    from.peer,
                    to,
                    message.length,
                    "send queue full (" + lane.queuedBytes + " of " + sendBufferBytes + " bytes)");
        }
        double lossDraw = random.nextDouble();
        double duplicationDraw = random.nextDouble();
        long latency = drawLatency(linkConditions);
        long duplicateLatency = drawLatency(linkConditions);
        long departure = nowNanos;
        if (bandwidth > 0) {
            long transmission = (message.length * 1_000_000_000L + bandwidth - 1) / bandwidth;
            departure = Math.max(nowNanos, lane.busyUntilNanos) + transmission;
            lane.busyUntilNanos = departure;
            lane.add(departure, message.length);
        }
        sent++;
        record(Type.SENT, from.peer, to, message.length, "");
        SimulatedTransport target = transports.get(to);
        if (partitioned.contains(Pair.of(from.peer, to))) {
            droppedByPartition++;
            record(Type.DROPPED_BY_PARTITION, from.peer, to, message.length, "at send");
            return true;
        }
        if (lossDraw < linkConditions.lossRate()) {
            lost++;
            record(Type.LOST, from.peer, to, message.length, "");
            return true;
        }
        byte[] copy = message.clone();
        schedule(new Delivery(departure + latency, target, from.peer, copy, link.epoch));
        if (duplicationDraw < linkConditions.duplicationRate()) {
            duplicated++;
            record(Type.DUPLICATED, from.peer, to, message.length, "");
            schedule(new Delivery(departure + duplicateLatency, target, from.peer, copy.clone(), link.epoch));
        }
        return true;
    }

    synchronized int queueSize(SimulatedTransport from, PeerId to) {
        Lane lane = lanes.get(new Direction(from.peer, to));
        if (lane == null || from.closed || !from.connectedPeers.contains(to)) {
            return 0;
        }
        lane.prune(nowNanos);
        return (int) Math.min(Integer.MAX_VALUE, lane.queuedBytes);
    }

    synchronized void close(SimulatedTransport transport) {
        if (transport.closed) {
            return;
        }
        transport.closed = true;
        if (transports.get(transport.peer) == transport) {
            transports.remove(transport.peer);
        }
        refresh(transport.peer, transport.peer + " closed its transport");
    }

    // ---- internals ----

    private long drawLatency(LinkConditions linkConditions) {
        long min = linkConditions.minLatency().toNanos();
        long spread = linkConditions.maxLatency().toNanos() - min;
        return min + random.nextLong(spread + 1);
    }

    private boolean reject(PeerId from, PeerId to, int size, String why) {
        rejected++;
        record(Type.REJECTED, from, to, size, why);
        return false;
    }

    private void checkSteps(int steps, String what) {
        if (steps > maxStepsPerRun) {
            throw new IllegalStateException(what + " processed more than " + maxStepsPerRun
                    + " events without reaching its end at t=" + now() + "; do peers answer each other"
                    + " forever with zero latency? (seed " + seed + "; re-run with -D" + SEED_PROPERTY + "="
                    + seed + ")");
        }
    }

    /** Brings the links of {@code peer} in line with who should be connected. */
    private void refresh(PeerId peer, String downReason) {
        Set<PeerId> others = new TreeSet<>(transports.keySet());
        for (Link link : links.values()) {
            PeerId other = link.pair.other(peer);
            if (link.up && other != null) {
                others.add(other);
            }
        }
        others.remove(peer);
        for (PeerId other : others) {
            Pair pair = Pair.of(peer, other);
            Link link = links.computeIfAbsent(pair, Link::new);
            boolean up = live(peer) && live(other);
            if (up == link.up) {
                continue;
            }
            link.up = up;
            link.epoch++;
            SimulatedTransport first = transports.get(pair.low);
            SimulatedTransport second = transports.get(pair.high);
            if (up) {
                schedule(new ConnectionChange(nowNanos, first, pair.high, true, link.epoch, ""));
                schedule(new ConnectionChange(nowNanos, second, pair.low, true, link.epoch, ""));
            } else {
                lanes.remove(new Direction(pair.low, pair.high));
                lanes.remove(new Direction(pair.high, pair.low));
                scheduleDisconnect(first, pair.high, downReason, link.epoch);
                scheduleDisconnect(second, pair.low, downReason, link.epoch);
            }
        }
    }

    private void scheduleDisconnect(SimulatedTransport target, PeerId peer, String reason, long epoch) {
        if (target != null && !target.closed) {
            schedule(new ConnectionChange(nowNanos, target, peer, false, epoch, reason));
        }
    }

    private boolean live(PeerId peer) {
        SimulatedTransport transport = transports.get(peer);
        return transport != null && transport.started && !transport.closed && !offline.contains(peer);
    }

    private void schedule(Scheduled event) {
        event.sequence = nextSequence++;
        queue.add(event);
    }

    private void record(Type type, PeerId from, PeerId to, int size, String detail) {
        if (traceCapacity == 0) {
            return;
        }
        if (trace.size() == traceCapacity) {
            trace.removeFirst();
        }
        trace.addLast(new TraceEvent(nowNanos, type, from, to, size, detail));
    }

    /** An event in the queue, ordered by time, then by the order it was scheduled in. */
    private abstract static class Scheduled implements Comparable<Scheduled> {
        final long timeNanos;
        final SimulatedTransport target;
        long sequence;

        Scheduled(long timeNanos, SimulatedTransport target) {
            this.timeNanos = timeNanos;
            this.target = target;
        }

        abstract void run();

        @Override
        public int compareTo(Scheduled other) {
            int byTime = Long.compare(timeNanos, other.timeNanos);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final class Delivery extends Scheduled {
        final PeerId from;
        final byte[] message;
        final long epoch;

        Delivery(long timeNanos, SimulatedTransport target, PeerId from, byte[] message, long epoch) {
            super(timeNanos, target);
            this.from = from;
            this.message = message;
            this.epoch = epoch;
        }

        @Override
        void run() {
            Link link = links.get(Pair.of(from, target.peer));
            if (target.closed || link == null || link.epoch != epoch || !link.up) {
                droppedByLinkDown++;
                record(Type.DROPPED_BY_LINK_DOWN, from, target.peer, message.length, "");
            } else if (partitioned.contains(Pair.of(from, target.peer))) {
                droppedByPartition++;
                record(Type.DROPPED_BY_PARTITION, from, target.peer, message.length, "in flight");
            } else {
                delivered++;
                record(Type.DELIVERED, from, target.peer, message.length, "");
                target.listener.onMessage(from, message);
            }
        }

        @Override
        public String toString() {
            return "message of " + message.length + " bytes from " + from + " to " + target.peer;
        }
    }

    private final class ConnectionChange extends Scheduled {
        final PeerId peer;
        final boolean connected;
        final long epoch;
        final String reason;

        ConnectionChange(
                long timeNanos, SimulatedTransport target, PeerId peer, boolean connected, long epoch, String reason) {
            super(timeNanos, target);
            this.peer = peer;
            this.connected = connected;
            this.epoch = epoch;
            this.reason = reason;
        }

        @Override
        void run() {
            if (target.closed) {
                return;
            }
            if (connected) {
                Link link = links.get(Pair.of(peer, target.peer));
                if (link.epoch == epoch && link.up && target.connectedPeers.add(peer)) {
                    record(Type.CONNECTED, peer, target.peer, 0, "");
                    target.listener.onPeerConnected(peer);
                }
            } else if (target.connectedPeers.remove(peer)) {
                record(Type.DISCONNECTED, peer, target.peer, 0, reason);
                target.listener.onPeerDisconnected(peer, reason);
            }
        }

        @Override
        public String toString() {
            return (connected ? "connection of " : "disconnection of ") + peer + " to " + target.peer;
        }
    }

    /** The state of the connection between two peers; a new epoch each time it goes up or down. */
    private static final class Link {
        final Pair pair;
        boolean up;
        long epoch;

        Link(Pair pair) {
            this.pair = pair;
        }
    }

    /** The send queue of one direction of a link with limited bandwidth. */
    private static final class Lane {
        final ArrayDeque<long[]> departures = new ArrayDeque<>();
        long busyUntilNanos;
        long queuedBytes;

        void add(long departureNanos, int size) {
            departures.addLast(new long[] {departureNanos, size});
            queuedBytes += size;
        }

        void prune(long nowNanos) {
            while (!departures.isEmpty() && departures.peekFirst()[0] <= nowNanos) {
                queuedBytes -= departures.removeFirst()[1];
            }
        }
    }

    /** An unordered pair of peers. */
    private record Pair(PeerId low, PeerId high) {
        static Pair of(PeerId a, PeerId b) {
            return a.compareTo(b) <= 0 ? new Pair(a, b) : new Pair(b, a);
        }

        PeerId other(PeerId peer) {
            return peer.equals(low) ? high : peer.equals(high) ? low : null;
        }
    }

    /** One direction of a link. */
    private record Direction(PeerId from, PeerId to) {}

    /**
     * Builds a {@link NetworkSimulator}. Not thread-safe.
     *
     * <pre>{@code
     * NetworkSimulator network = NetworkSimulator.builder().seed(42).build();
     * }</pre>
     */
    public static final class Builder {
        private Long seed;
        private LinkConditions conditions = LinkConditions.PERFECT;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int sendBufferBytes = DEFAULT_SEND_BUFFER_BYTES;
        private int traceCapacity = DEFAULT_TRACE_CAPACITY;
        private int maxStepsPerRun = DEFAULT_MAX_STEPS_PER_RUN;

        private Builder() {}

        /**
         * Sets the seed of every random decision. Required.
         *
         * @param seed e.g. {@link NetworkSimulator#chooseSeed()}
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the conditions of every link without its own (see {@link
         * NetworkSimulator#setLinkConditions}). Default {@link LinkConditions#PERFECT}.
         *
         * @param conditions the conditions
         * @return this builder
         */
        public Builder conditions(LinkConditions conditions) {
            this.conditions = Objects.requireNonNull(conditions, "conditions");
            return this;
        }

        /**
         * Sets the transports' message limit. Default 64 KiB.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * Sets how many bytes a bandwidth-limited link queues before {@code send} returns {@code
         * false}. Default 4 MiB.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder sendBufferBytes(int bytes) {
            this.sendBufferBytes = bytes;
            return this;
        }

        /**
         * Sets how many recent trace entries are kept; 0 turns tracing off. Default 100,000.
         *
         * @param entries at least 0
         * @return this builder
         */
        public Builder traceCapacity(int entries) {
            this.traceCapacity = entries;
            return this;
        }

        /**
         * Sets the most events one {@code runFor} or {@code runUntil} call may process before it
         * fails, to catch endless zero-latency exchanges. Default 10,000,000.
         *
         * @param steps at least 1
         * @return this builder
         */
        public Builder maxStepsPerRun(int steps) {
            this.maxStepsPerRun = steps;
            return this;
        }

        /**
         * Returns the simulator.
         *
         * @return a new simulator with no peers, at virtual time zero
         * @throws IllegalStateException if no seed was set
         * @throws IllegalArgumentException if a size or count is out of range
         */
        public NetworkSimulator build() {
            if (seed == null) {
                throw new IllegalStateException("a NetworkSimulator needs a seed: call seed("
                        + "NetworkSimulator.chooseSeed()) to pick one that can be replayed");
            }
            atLeast("maxMessageSize", maxMessageSize, 1);
            atLeast("sendBufferBytes", sendBufferBytes, 1);
            atLeast("traceCapacity", traceCapacity, 0);
            atLeast("maxStepsPerRun", maxStepsPerRun, 1);
            return new NetworkSimulator(this);
        }

        private static void atLeast(String name, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
            }
        }
    }
}
