package dev.ensemble.remote;

import dev.ensemble.core.Down;
import dev.ensemble.remote.RemoteCallException.Reason;
import dev.ensemble.remote.wire.ChunkReassembler;
import dev.ensemble.remote.wire.DroppedValue;
import dev.ensemble.remote.wire.Frame;
import dev.ensemble.remote.wire.FrameCodec;
import dev.ensemble.remote.wire.FrameException;
import dev.ensemble.remote.wire.FrameHead;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The links of a node ({@link RemoteActors}) to the other nodes, and their failure detection: one
 * {@link Link} per node ever heard of, heartbeats and the phi-accrual verdicts on them, a node up and
 * down, and the transport's events: a connection opened or lost, and each received frame decoded and
 * handed to the serving side ({@link CallServer}) or the calling side ({@link Calls}).
 *
 * <p>Thread-safe: transport callbacks arrive on the transport's thread, heartbeats on the node's
 * scheduler, lookups from any thread; the links are in a concurrent map and each {@link Link}
 * guards its own state.
 */
final class Nodes {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteActors.class);

    private final RemoteActors owner;
    private final Transport transport;
    private final int maxQueuedFrames;
    private final Supplier<PhiAccrualDetector> detectors;
    private final double phiThreshold;
    private final long incarnation;
    private final FrameCodec codec;
    /** Makes a link's reassembler, given what to do with the values it drops. */
    private final Function<Consumer<DroppedValue>, ChunkReassembler> reassemblers;
    /** Decodes frames put back together from chunks: its limit is maxValueSize, not the transport's. */
    private final FrameCodec reassembledCodec;

    private final RemoteActors.Counters counters;
    private final CallServer server;
    private final Calls calls;
    private final Map<PeerId, Link> links = new ConcurrentHashMap<>();
    /**
     * Nodes whose large value this node is handling now (decoding, serving), since when: the
     * silence of such a node is this node being busy, not the node, so the detector waits.
     */
    private final Map<PeerId, Long> handlingLargeValue = new ConcurrentHashMap<>();
    /** The interval at which {@link #heartbeats()} is scheduled. */
    private final long heartbeatIntervalNanos;
    /**
     * Scheduler thread: when {@link #heartbeats()} last ran; before its first round, when this node
     * was made (its first round is due one interval after start).
     */
    private long lastRoundNanos = System.nanoTime();

    Nodes(
            RemoteActors owner,
            Transport transport,
            int maxQueuedFrames,
            Supplier<PhiAccrualDetector> detectors,
            long heartbeatIntervalNanos,
            double phiThreshold,
            long incarnation,
            FrameCodec codec,
            Function<Consumer<DroppedValue>, ChunkReassembler> reassemblers,
            FrameCodec reassembledCodec,
            RemoteActors.Counters counters,
            CallServer server,
            Calls calls) {
        this.owner = owner;
        this.transport = transport;
        this.maxQueuedFrames = maxQueuedFrames;
        this.detectors = detectors;
        this.heartbeatIntervalNanos = heartbeatIntervalNanos;
        this.phiThreshold = phiThreshold;
        this.incarnation = incarnation;
        this.codec = codec;
        this.reassemblers = reassemblers;
        this.reassembledCodec = reassembledCodec;
        this.counters = counters;
        this.server = server;
        this.calls = calls;
    }

    /** The links known, for the public API's lookups (a live view). */
    Map<PeerId, Link> links() {
        return links;
    }

    /** What the transport calls: connections, losses and frames. */
    TransportListener listener() {
        return new Listener();
    }

    // ---------------------------------------------------------------- links and failure detection

    Link link(PeerId peer) {
        return links.computeIfAbsent(
                peer,
                p -> new Link(
                        p,
                        transport,
                        owner,
                        maxQueuedFrames,
                        detectors.get(),
                        reassemblers.apply(dropped -> droppedValue(p, dropped))));
    }

    /**
     * A chunked value from {@code peer} was dropped for its size or for the partial-values limit:
     * if it was a call, its caller gets an error reply; if a reply, its ask fails now rather than
     * at its timeout; a state or event is logged. Runs on the transport's callback thread.
     */
    private void droppedValue(PeerId peer, DroppedValue dropped) {
        Link link = links.get(peer);
        if (link == null) {
            return;
        }
        FrameHead head = FrameHead.parse(dropped.head());
        if (head.isCall()) {
            server.refuse(link, head, dropped);
        } else if (head.isReply()) {
            calls.failDropped(link, head.callId(), dropped);
        } else if (head.isState() || head.isEvent()) {
            LOG.warn(
                    "dropped {} {} of actor \"{}\" from node {}: {}",
                    head.isState() ? "a state" : "an event",
                    head.isState() ? "update" : "frame",
                    head.target(),
                    peer.shortForm(),
                    dropped.cause() == DroppedValue.Cause.TOO_LARGE
                            ? dropped.totalLength() + " bytes encoded, more than this node's maxValueSize ("
                                    + dropped.limit() + " bytes)"
                            : "the node already had " + dropped.limit() + " incomplete chunked values here");
        }
    }

    /** Drops chunked values that took too long; run by the node's scheduler. */
    void expireChunks() {
        long now = System.nanoTime();
        for (Link link : links.values()) {
            int expired = link.reassembler.expire(now);
            if (expired > 0) {
                counters.chunkStreamsExpired.add(expired);
                LOG.debug(
                        "dropped {} incomplete chunked values from node {}: not complete within the reassembly timeout",
                        expired,
                        link.peer.shortForm());
            }
        }
    }

    void heartbeats() {
        long now = System.nanoTime();
        // How much later than due this round runs: the time this node itself stood still (a long
        // GC, a paused VM, a machine so loaded that its threads got no CPU for seconds). It wakes
        // with what the others sent meanwhile still unread, and that silence is its own, not
        // theirs: it is not counted against them in this round. By the next round the frames
        // that waited have been read; a node that really fell silent is judged then, one
        // interval later. (Without this, a node stopped for 3 s declared its peer down on waking,
        // 2 ms before it read the peer's heartbeats of those 3 s.)
        long ownPause = Math.max(0, now - lastRoundNanos - heartbeatIntervalNanos);
        lastRoundNanos = now;
        byte[] beat = FrameCodec.encode(new Frame.Heartbeat(incarnation));
        for (Link link : links.values()) {
            if (!link.connected()) {
                continue;
            }
            link.enqueue(beat);
            if (link.down() || handlingLargeValue.containsKey(link.peer)) {
                continue;
            }
            // Any frame is a sign of life (PROTOCOL.md, "Heartbeats"), not only a heartbeat: a node
            // sending a large value has its heartbeats queued behind the value's chunks, which keep
            // coming. So the detector judges the silence since the last frame of any kind, with the
            // rhythm its heartbeats taught it.
            long sinceBeat = link.detector.silenceNanos(now);
            long sinceHeard = Math.max(0, now - link.lastHeardNanos);
            long judgedAt = (sinceHeard < sinceBeat ? now - (sinceBeat - sinceHeard) : now) - ownPause;
            if (!link.detector.isAvailable(judgedAt)) {
                nodeDown(
                        link,
                        String.format(
                                "no heartbeat for %d ms, nor any other frame (phi %.1f above the threshold %.1f)",
                                Math.min(sinceHeard, sinceBeat) / 1_000_000,
                                Math.min(link.detector.phi(judgedAt), 999.0),
                                phiThreshold),
                        false);
            }
        }
    }

    private void nodeUp(Link link) {
        if (link.markUp()) {
            link.detector.reset();
            link.detector.heartbeat(System.nanoTime());
            LOG.info("node {} is up again", link.peer.shortForm());
            renewSubscriptions(link);
        }
    }

    private void renewSubscriptions(Link link) {
        for (RemoteTarget<?> target : link.targets.values()) {
            calls.subscribe(target);
        }
    }

    /**
     * @param endSubscriptions whether what the node subscribed to here ends, and what is queued for
     *     it is dropped: yes when its connection closed or it restarted; no when it only fell
     *     silent, since it may come back on the same connection still counting on them and on what
     *     was sent to it before the verdict (its outgoing queue bounds what waits for it meanwhile)
     */
    void nodeDown(Link link, String reason, boolean endSubscriptions) {
        boolean first = link.markDown(endSubscriptions);
        calls.failOutstanding(link, reason);
        if (endSubscriptions) {
            for (Served served : link.served.values()) {
                served.cancel();
            }
            link.served.clear();
        }
        if (!first) {
            return;
        }
        counters.nodesDown.increment();
        LOG.info("node {} is down: {}", link.peer.shortForm(), reason);
        owner.nodeWentDown(link.peer);
        for (RemoteTarget<?> target : link.targets.values()) {
            target.down(new Down(
                    target.name(),
                    new RemoteCallException(
                            Reason.NODE_DOWN,
                            link.peer,
                            null,
                            "node " + link.peer.shortForm() + " is down: " + reason)));
        }
    }

    // ---------------------------------------------------------------- receiving

    private final class Listener extends TransportListener {
        @Override
        public void onPeerConnected(PeerId peer) {
            Link link = link(peer);
            link.connectionOpened();
            for (RemoteTarget<?> target : link.targets.values()) {
                target.resetSequences();
            }
            link.enqueue(FrameCodec.encode(new Frame.Heartbeat(incarnation)));
            renewSubscriptions(link);
            server.resume(link);
        }

        @Override
        public void onPeerDisconnected(PeerId peer, String reason) {
            Link link = link(peer);
            link.connectionClosed();
            link.served.forEach((name, served) -> link.servedBeforeDisconnect.put(name, served.wants()));
            nodeDown(link, "disconnected: " + reason, true);
        }

        @Override
        public void onMessage(PeerId from, byte[] message) {
            if (owner.isClosed()) {
                return;
            }
            counters.framesReceived.increment();
            Link link = link(from);
            link.lastHeardNanos = System.nanoTime();
            Frame frame;
            try {
                frame = codec.decode(message);
            } catch (FrameException e) {
                counters.malformedFrames.increment();
                LOG.debug("dropped a malformed frame from node {}: {}", from.shortForm(), e.getMessage());
                return;
            }
            if (frame instanceof Frame.Batch batch) {
                counters.framesReceived.add(batch.frames().size() - 1L);
                for (byte[] inner : batch.frames()) {
                    Frame one;
                    try {
                        one = codec.decodeInner(inner);
                    } catch (FrameException e) {
                        counters.malformedFrames.increment();
                        LOG.debug(
                                "dropped a malformed frame of a batch from node {}: {}",
                                from.shortForm(),
                                e.getMessage());
                        continue;
                    }
                    receiveSafely(link, one);
                }
                return;
            }
            receiveSafely(link, frame);
        }

        private void receiveSafely(Link link, Frame frame) {
            if (!(frame instanceof Frame.Chunk chunk)) {
                receiveOne(link, frame);
                return;
            }
            // Putting a value of megabytes together and decoding it can hold this thread for a while
            // (longer than a short heartbeat pause on a loaded machine), during which the node's
            // next frames wait in the transport: that is not the node falling silent.
            handlingLargeValue.put(link.peer, System.nanoTime());
            try {
                Frame whole = reassemble(link, chunk);
                if (whole != null) {
                    receiveOne(link, whole);
                }
            } finally {
                link.lastHeardNanos = System.nanoTime();
                handlingLargeValue.remove(link.peer);
            }
        }

        private void receiveOne(Link link, Frame frame) {
            try {
                receive(link, frame);
            } catch (RuntimeException e) {
                // A bug here must not stop the transport's thread or the link.
                LOG.error(
                        "handling {} from node {} failed", frame.getClass().getSimpleName(), link.peer.shortForm(), e);
            }
        }
    }

    /** @return the frame this chunk completed, or null (incomplete, or dropped and counted) */
    private Frame reassemble(Link link, Frame.Chunk chunk) {
        try {
            byte[] whole = link.reassembler.offer(chunk, System.nanoTime());
            return whole == null ? null : reassembledCodec.decodeReassembled(whole);
        } catch (FrameException e) {
            counters.chunkStreamsDropped.increment();
            LOG.debug("dropped a chunked value from node {}: {}", link.peer.shortForm(), e.getMessage());
            return null;
        }
    }

    private void receive(Link link, Frame frame) {
        if (frame instanceof Frame.Heartbeat heartbeat) {
            if (link.incarnation != 0 && link.incarnation != heartbeat.incarnation()) {
                // What the old incarnation subscribed to is not the new one's.
                link.servedBeforeDisconnect.clear();
                nodeDown(link, "it restarted (new incarnation)", true);
                link.lastCallIdIn = 0;
                for (RemoteTarget<?> target : link.targets.values()) {
                    target.resetSequences();
                }
            }
            link.incarnation = heartbeat.incarnation();
            link.detector.heartbeat(link.lastHeardNanos);
        }
        if (link.down()) {
            nodeUp(link);
        }
        if (frame instanceof Frame.Call call) {
            if (inOrder(link, call.callId())) {
                server.serve(link, call);
            }
        } else if (frame instanceof Frame.Subscribe subscribe) {
            if (inOrder(link, subscribe.callId())) {
                server.serve(link, subscribe);
            }
        } else if (frame instanceof Frame.Reply reply) {
            calls.complete(link, reply);
        } else if (frame instanceof Frame.State state) {
            calls.applyState(link, state);
        } else if (frame instanceof Frame.Event event) {
            calls.applyEvent(link, event);
        } else if (frame instanceof Frame.Stopped stopped) {
            calls.actorStopped(link, stopped);
        }
    }

    private boolean inOrder(Link link, long callId) {
        if (callId <= link.lastCallIdIn) {
            counters.outOfOrderDropped.increment();
            LOG.debug(
                    "dropped call {} from node {}: not after call {} (late, reordered or duplicated)",
                    callId,
                    link.peer.shortForm(),
                    link.lastCallIdIn);
            return false;
        }
        link.lastCallIdIn = callId;
        return true;
    }
}
