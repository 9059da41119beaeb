package dev.ensemble.remote;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Subscription;
import dev.ensemble.remote.RemoteCallException.Reason;
import dev.ensemble.remote.wire.ChunkReassembler;
import dev.ensemble.remote.wire.FrameCodec;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import java.lang.reflect.Method;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an {@link ActorSystem} a node: it exposes chosen actors to other nodes and gives {@link
 * ActorClient}s for actors on other nodes, over one {@link Transport}. A node's address is its
 * {@link PeerId} (did:key), which the transport has verified.
 *
 * <h2>Exposing</h2>
 *
 * Nothing is exposed by default. {@link #expose(ActorToken, AccessPolicy)} offers one actor under
 * its token's name, with a policy of which nodes may tell, ask, read its state and see its events.
 * A call the policy refuses never reaches the actor; the caller gets {@link Reason#UNAUTHORIZED}.
 *
 * <h2>Using a remote actor</h2>
 *
 * {@link #client(PeerId, ActorToken)} returns a client with the local client's API: a {@code void}
 * action is a tell (it throws {@link RemoteCallException} if the call cannot be sent); an action
 * returning a future is an ask that completes exactly once, with the result, the remote failure
 * ({@link Reason#FAILED}, with the remote exception's class name and message), a {@link
 * TimeoutException}, or {@link Reason#NODE_DOWN}. {@code state()} is a cache, subscribed on first
 * use and {@code null} until the first snapshot arrives; then it follows the remote state, never
 * backwards, with bursts coalesced. {@code onEvent} subscribes to the events, {@code onDown} tells
 * when the actor stops for good or its node goes down, whichever comes first.
 *
 * <p>A tell that the other node refuses cannot fail the call that already returned: it is logged
 * at WARN with the node's reason and counted in {@link RemoteStats#tellsRefused()}.
 *
 * <h2>Placement</h2>
 *
 * On start a node attaches itself to its system as the remote layer ({@code
 * ActorSystem.attachRemote}), unless another is attached already: an actor that the system's JSON
 * configuration places on another node ({@code "actors": {"counter": {"node": "did:key:..."}}}) is
 * then reached by {@code system.client(TOKEN)} through this node, with no change to the code that
 * uses the client. {@link #close()} detaches it.
 *
 * <p>For a local actor that <em>depends</em> on a placed one, start the node with the system, before
 * its actors: {@code ActorSystem.builder("app").config(...).remote(system -> RemoteActors.builder(system,
 * transport).start())}. The actor then receives this node's client for the placed actor through its
 * dependencies ({@code dependency}, {@code reactToState}, {@code reactToEvents}, {@code watch}); the
 * system closes the node after its actors have stopped.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>At most once: nothing is resent; a call lost on the way is a timeout for an ask and
 *       silence for a tell.
 *   <li>FIFO per pair of nodes: calls carry increasing ids, and a node drops a call whose id is not
 *       above the last one it accepted from the same node on the same connection (late,
 *       reordered or duplicated), so calls from one node reach an actor in the order sent.
 *   <li>An ask completes exactly once. Outstanding asks fail at once when their node goes down.
 *   <li>Large values: a frame larger than the transport's message limit travels as chunks and is
 *       put back together on the other node, up to {@code maxValueSize} (16 MiB by default); a
 *       call above it fails with {@link Reason#TOO_LARGE} before anything is sent. The chunks of a
 *       value are queued together, so FIFO per pair holds for large values too.
 *   <li>Memory is bounded: each node has an outgoing queue of at most {@code maxQueuedFrames}
 *       frames; when it is full a tell throws and an ask fails with {@link Reason#QUEUE_FULL}.
 *   <li>One node cannot starve the others: each may have at most {@code maxAsksInFlightPerNode}
 *       asks unanswered here (and, if set, make at most {@code callRatePerNode} calls); its calls
 *       beyond are refused at once with {@link Reason#UNAVAILABLE} and counted in {@link
 *       RemoteStats#callsThrottled()}.
 * </ul>
 *
 * <h2>Failure detection</h2>
 *
 * Each node sends a heartbeat to every connected node every {@code heartbeatInterval}. A
 * phi-accrual detector per node turns the silence since its last heartbeat into a suspicion level
 * scaled by how regular its heartbeats were; past {@code phiThreshold} the node is declared down
 * (with the defaults about 12 s after its last heartbeat). A closed connection and a heartbeat with
 * a new incarnation (it restarted) are a node down at once. A down node that is heard from again is
 * up again; its earlier subscriptions are renewed.
 *
 * <h2>Values</h2>
 *
 * Arguments, results, state and event payloads travel as CBOR, restricted to the types of the
 * {@link TypeRegistry}. A value that cannot be encoded or decoded fails that call only, with an
 * error naming the type; the link and every other call go on.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe. Transport callbacks only decode and hand calls to actors' mailboxes. Asks' futures
 * and listeners run on the client's callback executor, by default the common fork-join pool. One
 * scheduler thread per node runs timeouts, heartbeats and state flushes.
 *
 * <pre>{@code
 * // node B: serve the counter to node A
 * RemoteActors b = RemoteActors.builder(systemB, transportB).start();
 * b.expose(COUNTER, AccessPolicy.none().allow(Permission.TELL, a).allow(Permission.ASK, a));
 *
 * // node A: use it
 * RemoteActors remote = RemoteActors.builder(systemA, transportA).start();
 * ActorClient<CounterActions, Integer> counter = remote.client(nodeB, COUNTER);
 * counter.actions().increment(2);                      // tell
 * int total = counter.actions().total().join();        // ask
 * }</pre>
 */
public final class RemoteActors implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteActors.class);

    /** Default bound of each node's outgoing queue, in frames. */
    public static final int DEFAULT_MAX_QUEUED_FRAMES = 4096;
    /** Default interval between heartbeats: 1 s (as Pekko's remote watch). */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /** Default silence a node may keep before suspicion rises: 10 s (as Pekko's remote watch). */
    public static final Duration DEFAULT_ACCEPTABLE_HEARTBEAT_PAUSE = Duration.ofSeconds(10);
    /** Default suspicion level at which a node is declared down (as Pekko's remote watch). */
    public static final double DEFAULT_PHI_THRESHOLD = 10.0;
    /** Default largest value (an encoded call, reply, state or event frame): 16 MiB. */
    public static final int DEFAULT_MAX_VALUE_SIZE = 16 * 1024 * 1024;
    /** Default number of chunked values one node may have incomplete here at once. */
    public static final int DEFAULT_MAX_PARTIAL_VALUES = 4;
    /**
     * Default number of asks one node may have in flight here (handed to actors, not answered yet):
     * 256. A node's asks beyond it are refused at once, so that a node flooding a slow actor with
     * asks holds at most this much of its mailbox.
     */
    public static final int DEFAULT_MAX_ASKS_IN_FLIGHT_PER_NODE = 256;
    /** Default time a chunked value may take from its first chunk to its last: 30 s. */
    public static final Duration DEFAULT_REASSEMBLY_TIMEOUT = Duration.ofSeconds(30);
    /** Heartbeat intervals the detector remembers. */
    static final int DETECTOR_SAMPLES = 200;
    /** The smallest deviation the detector assumes, so that regular heartbeats are not judged too strictly. */
    static final Duration DETECTOR_MIN_DEVIATION = Duration.ofMillis(100);

    static final long RETRY_DELAY_MS = 5;
    /** Refused tells logged at WARN; later ones at DEBUG (all are counted). */
    static final long WARNED_TELL_REFUSALS = 20;
    /** How long a subscription request waits for its reply before it is sent again. */
    static final long SUBSCRIBE_RETRY_MS = 500;

    private final ActorSystem system;
    private final Transport transport;
    final ValueCodec values;
    private final FrameCodec codec;
    final int maxFrameSize;
    /** The largest encoded frame sent or put back together from chunks. */
    final int maxValueSize;

    private final int maxPartialValues;
    private final Duration reassemblyTimeout;
    private final int maxQueuedFrames;
    private final Duration askTimeout;
    private final Duration heartbeatInterval;
    private final Duration acceptablePause;
    private final double phiThreshold;
    final Executor defaultExecutor;
    private final long incarnation;
    private final ScheduledThreadPoolExecutor scheduler;

    private final Map<String, Exposure> exposures = new ConcurrentHashMap<>();
    private final CallServer server;
    private final AtomicLong callIds = new AtomicLong();
    private final AtomicLong sequences = new AtomicLong();
    final Counters counters = new Counters();
    private final Placement placement = new Placement(this);
    /** The calling side: outstanding calls and subscriptions, and what comes back. */
    private final Calls calls;
    /** The links to other nodes, failure detection and the dispatch of received frames. */
    private final Nodes nodes;

    private final Map<PeerId, Link> links;
    private final CopyOnWriteArrayList<Consumer<PeerId>> downListeners = new CopyOnWriteArrayList<>();

    private volatile boolean closed;

    /** The counters behind {@link RemoteStats}. */
    static final class Counters {
        final LongAdder framesSent = new LongAdder();
        final LongAdder framesReceived = new LongAdder();
        final LongAdder malformedFrames = new LongAdder();
        final LongAdder callsServed = new LongAdder();
        final LongAdder callsRefused = new LongAdder();
        final LongAdder outOfOrderDropped = new LongAdder();
        final LongAdder unknownReplies = new LongAdder();
        final LongAdder tellsRefused = new LongAdder();
        final LongAdder queueFull = new LongAdder();
        final LongAdder nodesDown = new LongAdder();
        final LongAdder valuesChunked = new LongAdder();
        final LongAdder chunkStreamsDropped = new LongAdder();
        final LongAdder chunkStreamsExpired = new LongAdder();
        final LongAdder callsThrottled = new LongAdder();
    }

    private RemoteActors(Builder builder) {
        this.system = builder.system;
        this.transport = builder.transport;
        this.values = new ValueCodec(builder.types);
        this.maxFrameSize = transport.maxMessageSize();
        this.codec = FrameCodec.withMaxFrameSize(Math.max(16, maxFrameSize));
        this.maxValueSize = builder.maxValueSize;
        this.maxPartialValues = builder.maxPartialValues;
        this.reassemblyTimeout = builder.reassemblyTimeout;
        this.maxQueuedFrames = builder.maxQueuedFrames;
        this.askTimeout = builder.askTimeout;
        this.heartbeatInterval = builder.heartbeatInterval;
        this.acceptablePause = builder.acceptablePause;
        this.phiThreshold = builder.phiThreshold;
        this.defaultExecutor = builder.callbackExecutor;
        this.server = new CallServer(
                this, exposures, builder.maxAsksInFlightPerNode, builder.callRatePerSecond, builder.callRateBurst);
        long drawn;
        do {
            drawn = new SecureRandom().nextLong();
        } while (drawn == 0);
        this.incarnation = drawn;
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ensemble-remote-" + system.name());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        this.calls = new Calls(values, maxValueSize, defaultExecutor, scheduler, counters);
        long detectorHeartbeatNanos =
                heartbeatInterval.isZero() ? DEFAULT_HEARTBEAT_INTERVAL.toNanos() : heartbeatInterval.toNanos();
        this.nodes = new Nodes(
                this,
                transport,
                maxQueuedFrames,
                () -> new PhiAccrualDetector(
                        phiThreshold,
                        DETECTOR_SAMPLES,
                        acceptablePause.toNanos(),
                        DETECTOR_MIN_DEVIATION.toNanos(),
                        detectorHeartbeatNanos),
                heartbeatInterval.toNanos(),
                phiThreshold,
                incarnation,
                codec,
                onDropped ->
                        new ChunkReassembler(maxValueSize, maxPartialValues, reassemblyTimeout.toNanos(), onDropped),
                FrameCodec.withMaxFrameSize(Math.max(16, maxValueSize)),
                counters,
                server,
                calls);
        this.links = nodes.links();
    }

    /**
     * @param system the local actor system whose actors are exposed
     * @param transport the transport to the other nodes, not started; this node starts and closes it
     * @return a builder
     */
    public static Builder builder(ActorSystem system, Transport transport) {
        return new Builder(system, transport);
    }

    /**
     * Offers an actor of the local system to other nodes under its token's name, replacing any
     * earlier policy for it. Thread-safe.
     *
     * @param token the actor, registered in the system
     * @param policy who may do what; {@link AccessPolicy#none()} exposes the name but allows nothing
     * @throws IllegalArgumentException if the system has no such actor, or an action is overloaded
     */
    public void expose(ActorToken<?, ?> token, AccessPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        Exposure exposure = new Exposure(system.client(Objects.requireNonNull(token, "token")), policy);
        Exposure previous = exposures.put(token.name(), exposure);
        if (previous != null) {
            // Subscriptions made under the old policy end; nodes that may still read renew them.
            for (Link link : links.values()) {
                Served served = link.served.remove(token.name());
                if (served != null) {
                    served.cancel();
                }
            }
        }
    }

    /**
     * Offers a service of calls only under {@code name}: no actor, no state, events or end, and
     * whose actions know which node calls. Each call is checked against {@code policy} first, then
     * runs on {@code perNode.apply(caller)}, the actions object for that verified node; if that is
     * {@code null} the call is refused with {@link Reason#UNAUTHORIZED} and runs nowhere. This is how
     * a service keeps what each node may see apart from the others (an exposed actor's events go
     * to every subscriber). The actions are called on the transport's callback thread: they must not
     * block (return a future for anything that waits); an ask's reply is sent when its future
     * completes. Nodes call it with {@link #client(PeerId, ActorToken)} and a token of the same name
     * and actions (its state type is not used). Replaces any earlier actor or service of that name.
     * Thread-safe.
     *
     * @param name the name nodes call it by (as an actor token's name)
     * @param actions the actions interface: {@code void} methods are tells, methods returning a
     *     {@code CompletableFuture} or {@code CompletionStage} are asks
     * @param policy which nodes may tell and ask (state and events do not apply)
     * @param perNode the actions for a calling node, or null to refuse it; called on every call, so
     *     it should be cheap (for example a lookup in a map)
     * @param <A> the actions interface
     * @return cancel it to withdraw the service (if it was not replaced meanwhile)
     * @throws IllegalArgumentException if an action is overloaded or {@code name} is not a valid
     *     actor name
     */
    public <A> Subscription exposeService(
            String name, Class<A> actions, AccessPolicy policy, Function<PeerId, ? extends A> perNode) {
        ActorToken.of(name, actions, Object.class); // checks the name and that actions is an interface
        Exposure exposure = new Exposure(
                name, actions, Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(perNode, "perNode"));
        Exposure previous = exposures.put(name, exposure);
        if (previous != null) {
            for (Link link : links.values()) {
                Served served = link.served.remove(name);
                if (served != null) {
                    served.cancel();
                }
            }
        }
        return () -> exposures.remove(name, exposure);
    }

    /**
     * Tells {@code listener} each time a node goes down: its connection closed, the failure detector
     * judged it dead, or it restarted (see "Failure detection" above). Runs on the callback executor;
     * the listener must not throw. Thread-safe.
     *
     * @param listener receives the node that went down
     * @return cancel it to stop listening
     */
    public Subscription onNodeDown(Consumer<PeerId> listener) {
        Objects.requireNonNull(listener, "listener");
        downListeners.add(listener);
        return () -> downListeners.remove(listener);
    }

    /** Called by {@link Nodes} once per node down. */
    void nodeWentDown(PeerId node) {
        for (Consumer<PeerId> listener : downListeners) {
            try {
                defaultExecutor.execute(() -> {
                    try {
                        listener.accept(node);
                    } catch (RuntimeException e) {
                        LOG.warn("a node-down listener failed for node {}", node.shortForm(), e);
                    }
                });
            } catch (RejectedExecutionException e) {
                LOG.debug("node-down listener not run for node {}: executor refused", node.shortForm());
            }
        }
    }

    /**
     * Withdraws an actor: later calls get {@link Reason#UNKNOWN_ACTOR}, and its subscriptions end.
     * Thread-safe.
     *
     * @param token the exposed actor
     */
    public void unexpose(ActorToken<?, ?> token) {
        exposures.remove(token.name());
        for (Link link : links.values()) {
            Served served = link.served.remove(token.name());
            if (served != null) {
                served.cancel();
            }
        }
    }

    /**
     * The client of an actor exposed by another node. Cheap; views of the same actor share one
     * cache and one subscription. Thread-safe.
     *
     * @param node the node's did:key
     * @param token the actor's token, as the other node registered it (name, actions, state type)
     * @param <A> its actions
     * @param <S> its state
     * @return its client
     * @throws IllegalArgumentException if an action of the token is overloaded
     */
    public <A, S> ActorClient<A, S> client(PeerId node, ActorToken<A, S> token) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(token, "token");
        Exposure.actionsByName(token.actions());
        Link link = nodes.link(node);
        RemoteTarget<?> target = link.targets.computeIfAbsent(token.name(), name -> new RemoteTarget<>(link, token));
        if (target.token.actions() != token.actions()) {
            throw new IllegalArgumentException("remote actor \"" + token.name() + "\" on node " + node.shortForm()
                    + " is already used with " + target.token.actions().getName() + ", not "
                    + token.actions().getName());
        }
        @SuppressWarnings("unchecked")
        RemoteTarget<S> typed = (RemoteTarget<S>) target;
        return new RemoteActorClient<>(this, typed, token, askTimeout, null);
    }

    /**
     * @param node a node
     * @return whether it is connected and not declared down
     */
    public boolean isUp(PeerId node) {
        Link link = links.get(node);
        return link != null && link.up();
    }

    /** @return the nodes that are connected and not declared down */
    public Set<PeerId> upNodes() {
        Set<PeerId> up = new TreeSet<>();
        links.forEach((peer, link) -> {
            if (link.up()) {
                up.add(peer);
            }
        });
        return up;
    }

    /** @return the counters since start; thread-safe */
    public RemoteStats stats() {
        return new RemoteStats(
                counters.framesSent.sum(),
                counters.framesReceived.sum(),
                counters.malformedFrames.sum(),
                counters.callsServed.sum(),
                counters.callsRefused.sum(),
                counters.outOfOrderDropped.sum(),
                counters.unknownReplies.sum(),
                counters.tellsRefused.sum(),
                counters.queueFull.sum(),
                counters.nodesDown.sum(),
                counters.valuesChunked.sum(),
                counters.chunkStreamsDropped.sum(),
                counters.chunkStreamsExpired.sum(),
                counters.callsThrottled.sum());
    }

    /**
     * Closes the transport, fails every outstanding ask with {@link Reason#NODE_DOWN} and ends
     * every subscription. The actor system stays up. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        system.detachRemote(placement);
        transport.close();
        for (Link link : links.values()) {
            link.connectionClosed();
            nodes.nodeDown(link, "this node closed its remote layer", true);
        }
        scheduler.shutdownNow();
    }

    // ---------------------------------------------------------------- calling out

    long nextCallId() {
        return callIds.incrementAndGet();
    }

    /**
     * State and event sequences come from one counter per node, so that a subscription made again
     * (after an actor was exposed anew, or the node was down) continues above the last number its
     * subscriber applied.
     */
    long nextSequence() {
        return sequences.incrementAndGet();
    }

    void schedule(Runnable task, long delay, TimeUnit unit) {
        try {
            scheduler.schedule(task, delay, unit);
        } catch (RejectedExecutionException e) {
            // Closed: nothing more to do.
        }
    }

    void tell(RemoteTarget<?> target, Method method, Object[] args) {
        calls.tell(target, method, args);
    }

    CompletableFuture<Object> ask(
            RemoteTarget<?> target, Method method, Object[] args, Duration timeout, Executor executor) {
        return calls.ask(target, method, args, timeout, executor);
    }

    void want(RemoteTarget<?> target, boolean state, boolean events, boolean down) {
        calls.want(target, state, events, down);
    }

    /** Whether {@link #close()} was called; received frames are then ignored. */
    boolean isClosed() {
        return closed;
    }

    private void startTransport() {
        transport.start(nodes.listener());
        if (!system.attachRemote(placement)) {
            LOG.info(
                    "system \"{}\" already has a remote layer for the actors its configuration places on other"
                            + " nodes; this one ({}) serves only the clients asked of it",
                    system.name(),
                    transport.name());
        }
        // Incomplete chunked values are checked a few times per timeout, at most once a second and
        // at least every 10 ms (a tiny timeout must not make the scheduler spin).
        long expiryEvery = Math.max(
                TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(reassemblyTimeout.toNanos() / 4, TimeUnit.SECONDS.toNanos(1)));
        ScheduledFuture<?> unusedExpiry =
                scheduler.scheduleWithFixedDelay(nodes::expireChunks, expiryEvery, expiryEvery, TimeUnit.NANOSECONDS);
        if (!heartbeatInterval.isZero()) {
            long every = heartbeatInterval.toNanos();
            ScheduledFuture<?> unused =
                    scheduler.scheduleWithFixedDelay(nodes::heartbeats, every, every, TimeUnit.NANOSECONDS);
        }
    }

    /** Configures a node; not thread-safe. */
    public static final class Builder {
        private final ActorSystem system;
        private final Transport transport;
        private TypeRegistry types = TypeRegistry.builtIn();
        private int maxQueuedFrames = DEFAULT_MAX_QUEUED_FRAMES;
        private int maxValueSize = DEFAULT_MAX_VALUE_SIZE;
        private int maxPartialValues = DEFAULT_MAX_PARTIAL_VALUES;
        private Duration reassemblyTimeout = DEFAULT_REASSEMBLY_TIMEOUT;
        private Duration askTimeout = ActorSystem.DEFAULT_ASK_TIMEOUT;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration acceptablePause = DEFAULT_ACCEPTABLE_HEARTBEAT_PAUSE;
        private double phiThreshold = DEFAULT_PHI_THRESHOLD;
        private Executor callbackExecutor = ForkJoinPool.commonPool();
        private int maxAsksInFlightPerNode = DEFAULT_MAX_ASKS_IN_FLIGHT_PER_NODE;
        /** 0: no call rate limit. */
        private int callRatePerSecond;

        private int callRateBurst;

        private Builder(ActorSystem system, Transport transport) {
            this.system = Objects.requireNonNull(system, "system");
            this.transport = Objects.requireNonNull(transport, "transport");
        }

        /**
         * @param types the types allowed on the wire; by default the built-in ones only
         * @return this builder
         */
        public Builder types(TypeRegistry types) {
            this.types = Objects.requireNonNull(types, "types");
            return this;
        }

        /**
         * @param frames the most frames waiting for one node, at least 1; default {@value
         *     #DEFAULT_MAX_QUEUED_FRAMES}
         * @return this builder
         */
        public Builder maxQueuedFrames(int frames) {
            if (frames < 1) {
                throw new IllegalArgumentException("maxQueuedFrames must be >= 1, was " + frames);
            }
            this.maxQueuedFrames = frames;
            return this;
        }

        /**
         * The largest value this node sends or accepts: an encoded call (with its arguments), reply,
         * state or event frame. A frame larger than the transport's {@code maxMessageSize()} travels
         * as chunks and is put back together on the other node (see REMOTE.md, "Large values"). A
         * call larger than this fails on the caller with {@link Reason#TOO_LARGE} before anything is
         * sent; a larger result fails its ask with {@link Reason#BAD_RESULT}; a chunked value from
         * another node that declares more is dropped unread and counted, and answered: a call gets a
         * {@link Reason#TOO_LARGE} error reply, and a reply fails its ask here with {@link
         * Reason#TOO_LARGE} at once. Nodes may set different values; the smaller one decides.
         *
         * @param bytes at least 1024; default {@value #DEFAULT_MAX_VALUE_SIZE} (16 MiB)
         * @return this builder
         */
        public Builder maxValueSize(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxValueSize must be >= 1024 bytes, was " + bytes);
            }
            this.maxValueSize = bytes;
            return this;
        }

        /**
         * @param values how many chunked values one node may have incomplete here at once, at least
         *     1; a chunk that would start one more is dropped and counted. Default {@value
         *     #DEFAULT_MAX_PARTIAL_VALUES}. With {@link #maxValueSize} it bounds the memory a node can
         *     make this one hold: {@code values × maxValueSize} bytes
         * @return this builder
         */
        public Builder maxPartialValues(int values) {
            if (values < 1) {
                throw new IllegalArgumentException("maxPartialValues must be >= 1, was " + values);
            }
            this.maxPartialValues = values;
            return this;
        }

        /**
         * @param timeout how long after its first chunk a chunked value may stay incomplete before
         *     it is dropped (and counted in {@link RemoteStats#chunkStreamsExpired()}); positive;
         *     default 30 s
         * @return this builder
         */
        public Builder reassemblyTimeout(Duration timeout) {
            this.reassemblyTimeout = positive(timeout, "reassemblyTimeout");
            return this;
        }

        /**
         * @param timeout the ask timeout of clients made by {@link #client}, positive; default the
         *     system default (5 s)
         * @return this builder
         */
        public Builder askTimeout(Duration timeout) {
            this.askTimeout = positive(timeout, "askTimeout");
            return this;
        }

        /**
         * @param interval between heartbeats, positive, or zero for none (then only a closed
         *     connection marks a node down); default 1 s
         * @return this builder
         */
        public Builder heartbeatInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("heartbeatInterval must be >= 0, was " + interval);
            }
            this.heartbeatInterval = interval;
            return this;
        }

        /**
         * @param pause how long a connected node may stay silent beyond its usual heartbeat interval
         *     before the failure detector's suspicion rises; positive; default 10 s. A node is
         *     declared down a few hundred milliseconds after {@code heartbeatInterval + pause} of
         *     silence with regular heartbeats (see the phi-accrual detector in REMOTE.md)
         * @return this builder
         */
        public Builder acceptableHeartbeatPause(Duration pause) {
            this.acceptablePause = positive(pause, "acceptableHeartbeatPause");
            return this;
        }

        /**
         * @param threshold the suspicion level (phi) at which a node is declared down, positive;
         *     default 10 (a false verdict about once in 10^10 under the heartbeat history's
         *     distribution); lower detects sooner and errs more often
         * @return this builder
         */
        public Builder phiThreshold(double threshold) {
            if (!(threshold > 0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("phiThreshold must be a positive number, was " + threshold);
            }
            this.phiThreshold = threshold;
            return this;
        }

        /**
         * How many asks one other node may have in flight here: handed to exposed actors and not
         * answered yet. Its asks beyond it are refused at once with {@link Reason#UNAVAILABLE} ("node
         * X already has 256 asks in flight here (maxAsksInFlightPerNode); this ask was not run") and
         * counted in {@link RemoteStats#callsThrottled()}, so a node that floods a slow actor with
         * asks holds at most this many places of its mailbox, and other nodes' calls are not starved.
         * Tells are not counted (their end is not seen); bound them with {@link #callRatePerNode}.
         *
         * @param asks at least 1; default {@value #DEFAULT_MAX_ASKS_IN_FLIGHT_PER_NODE}
         * @return this builder
         */
        public Builder maxAsksInFlightPerNode(int asks) {
            if (asks < 1) {
                throw new IllegalArgumentException("maxAsksInFlightPerNode must be >= 1, was " + asks);
            }
            this.maxAsksInFlightPerNode = asks;
            return this;
        }

        /**
         * Limits the calls (tells and asks) each other node may make here: a token bucket per node
         * that holds {@code burst} calls and refills at {@code perSecond}. A call above it is refused
         * at once, never reaching the actor: an ask fails with {@link Reason#UNAVAILABLE}, a tell is
         * answered so (the caller counts it in {@link RemoteStats#tellsRefused()}), and it is counted
         * here in {@link RemoteStats#callsThrottled()}. Default: no limit, since what is fair depends
         * on the actors (a node streaming tells to a fast actor is not a flood); set one where nodes
         * are not trusted to be gentle.
         *
         * @param perSecond calls a second, at least 1
         * @param burst calls at once, at least 1
         * @return this builder
         */
        public Builder callRatePerNode(int perSecond, int burst) {
            if (perSecond < 1 || burst < 1) {
                throw new IllegalArgumentException("callRatePerNode must be >= 1 call a second with a burst >= 1, was "
                        + perSecond + " a second, burst " + burst);
            }
            this.callRatePerSecond = perSecond;
            this.callRateBurst = burst;
            return this;
        }

        /**
         * @param executor where asks complete and listeners run unless a client view names its own;
         *     default the common fork-join pool
         * @return this builder
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Starts the transport and the heartbeats.
         *
         * @return the running node
         */
        public RemoteActors start() {
            RemoteActors remote = new RemoteActors(this);
            remote.startTransport();
            return remote;
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
