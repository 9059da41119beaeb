package dev.ensemble.remote;

import dev.ensemble.remote.RemoteCallException.Reason;
import dev.ensemble.remote.wire.ChunkReassembler;
import dev.ensemble.remote.wire.Frame;
import dev.ensemble.remote.wire.FrameCodec;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;

/**
 * What this node knows of one other node: whether it is connected and up, the bounded queue of
 * frames waiting for the transport, the order of the calls it sent us, what it subscribed to here,
 * and the remote actors we use there.
 *
 * <p>Threading: the queue is guarded by {@code queue}'s monitor, which is never held while calling
 * the transport (a transport callback may need our lock while another thread waits in {@code
 * send}). One thread at a time drains the queue into the transport ({@code draining}). Fields
 * marked "callback thread" are touched only by the transport's callback thread.
 */
final class Link {
    final PeerId peer;
    private final Transport transport;
    private final RemoteActors owner;
    private final int maxQueuedFrames;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean retryScheduled = new AtomicBoolean();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();

    /** Written under {@code queue}'s monitor; read anywhere. */
    private volatile boolean connected;
    /** Declared down (by a disconnect or the detector) and not heard from since; under {@code queue}. */
    private volatile boolean down;

    volatile long lastHeardNanos = System.nanoTime();
    /** Fed by heartbeats, read by the scheduler's checks. */
    final PhiAccrualDetector detector;
    /** Callback thread: the id of the last call or subscription from this node that we accepted. */
    long lastCallIdIn;
    /** Callback thread: the node's incarnation from its heartbeats, 0 before the first. */
    long incarnation;

    /** The chunked values this node is sending us, being put back together. */
    final ChunkReassembler reassembler;
    /**
     * Under {@code queue}: the id of the last chunked value queued to this node. It starts at a
     * random point so that a restarted node does not reuse ids the receiver remembers as finished.
     */
    private long lastMessageId =
            java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 40);

    /** Subscriptions this node holds on our exposed actors, by actor name. */
    final Map<String, Served> served = new ConcurrentHashMap<>();
    /**
     * What this node had subscribed to here when its connection last closed, by actor name, until
     * the connection comes back (then it is served again) or the node turns out to have restarted.
     * A closed connection may be seen by one side only: WebRTC reports a peer down while ICE is
     * disconnected, which the other side may never see, so that node goes on counting on its
     * subscriptions and never renews them.
     */
    final Map<String, Served.Wants> servedBeforeDisconnect = new ConcurrentHashMap<>();
    /** Remote actors of this node that we use, by actor name. */
    final Map<String, RemoteTarget<?>> targets = new ConcurrentHashMap<>();

    Link(
            PeerId peer,
            Transport transport,
            RemoteActors owner,
            int maxQueuedFrames,
            PhiAccrualDetector detector,
            ChunkReassembler reassembler) {
        this.peer = peer;
        this.reassembler = reassembler;
        this.detector = detector;
        this.transport = transport;
        this.owner = owner;
        this.maxQueuedFrames = maxQueuedFrames;
    }

    boolean connected() {
        return connected;
    }

    boolean down() {
        return down;
    }

    /** Connected and not declared down: calls may be sent. */
    boolean up() {
        return connected && !down;
    }

    int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    int maxQueuedFrames() {
        return maxQueuedFrames;
    }

    /** A new connection: it starts up, with an empty queue. */
    void connectionOpened() {
        synchronized (queue) {
            connected = true;
            down = false;
            queue.clear();
        }
        reassembler.clear();
        lastHeardNanos = System.nanoTime();
        lastCallIdIn = 0;
        // The connection itself is the first sign of life.
        detector.reset();
        detector.heartbeat(lastHeardNanos);
    }

    void connectionClosed() {
        synchronized (queue) {
            connected = false;
            queue.clear();
        }
        reassembler.clear();
    }

    /**
     * Marks the node down: calls to it fail fast from now on.
     *
     * @param dropQueued whether what already waits for it is dropped: yes when its connection closed
     *     or it restarted (none of it can reach the node it was meant for); no when it only fell
     *     silent. The connection is still there, and the silence may be this node's own (a node
     *     whose threads were starved for a few seconds judges the others before it has read what
     *     they sent meanwhile), so what was accepted before the verdict (a tell that returned, an
     *     event, a reply) still goes out in order; dropping it left a gap that nobody was told of
     *     while the node was up again a moment later
     * @return false if it was already down
     */
    boolean markDown(boolean dropQueued) {
        synchronized (queue) {
            if (dropQueued) {
                queue.clear();
            }
            if (down) {
                return false;
            }
            down = true;
            return true;
        }
    }

    /** @return false if it was not down */
    boolean markUp() {
        synchronized (queue) {
            if (!down || !connected) {
                return false;
            }
            down = false;
            return true;
        }
    }

    /**
     * Queues a call whose frame needs its id: the id is drawn and the frame queued under the
     * queue's lock, so that ids reach the node in increasing order.
     *
     * @param frameForId makes the frame for an id (and registers what waits for its reply)
     * @throws RemoteCallException if the node is not connected, down, or the queue is full
     */
    void enqueueCall(LongFunction<byte[]> frameForId) {
        synchronized (queue) {
            if (!connected) {
                throw new RemoteCallException(
                        Reason.NOT_CONNECTED, peer, null, "node " + peer.shortForm() + " is not connected");
            }
            if (down) {
                throw new RemoteCallException(Reason.NODE_DOWN, peer, null, "node " + peer.shortForm() + " is down");
            }
            if (queue.size() >= maxQueuedFrames) {
                throw queueFull();
            }
            byte[] frame = frameForId.apply(owner.nextCallId());
            if (!add(frame)) {
                throw queueFull();
            }
        }
        drain();
    }

    private RemoteCallException queueFull() {
        owner.counters.queueFull.increment();
        return new RemoteCallException(
                Reason.QUEUE_FULL,
                peer,
                null,
                "outgoing queue to node " + peer.shortForm() + " is full (" + maxQueuedFrames + " frames waiting)");
    }

    /**
     * Under {@code queue}: queues a frame, cut into chunks if it is larger than a transport message.
     * The chunks are queued together, so nothing queued later goes out before the last of them (FIFO
     * per pair holds for large values too).
     *
     * @return false if the queue has no room for all of it (nothing is queued)
     */
    private boolean add(byte[] frame) {
        if (frame.length <= owner.maxFrameSize) {
            if (queue.size() >= maxQueuedFrames) {
                return false;
            }
            queue.add(frame);
            return true;
        }
        long messageId = lastMessageId + 1;
        List<byte[]> chunks = FrameCodec.split(frame, messageId, owner.maxFrameSize);
        if (queue.size() + chunks.size() > maxQueuedFrames) {
            return false;
        }
        lastMessageId = messageId;
        queue.addAll(chunks);
        owner.counters.valuesChunked.increment();
        return true;
    }

    /**
     * Queues a frame that is not a call (reply, state, event, heartbeat).
     *
     * @return false if the node is not connected or the queue is full (the frame is dropped)
     */
    boolean enqueue(byte[] frame) {
        synchronized (queue) {
            if (!connected) {
                return false;
            }
            if (!add(frame)) {
                owner.counters.queueFull.increment();
                return false;
            }
        }
        drain();
        return true;
    }

    /**
     * Hands queued frames to the transport until it refuses one; retries shortly if it does. When
     * several frames wait, as many as fit in one transport message go together as a batch, so a
     * burst costs few messages.
     *
     * <p>While the transport still holds an earlier message of ours ({@link Transport#queueSize}
     * above zero: its writer is busy), frames are held here so that they leave together as one
     * batch once it is done, instead of one transport message each: the next call that finds the
     * transport idle sends them all, and a flush {@link #LINGER_NANOS} later sends whatever is
     * still held, so that a frame never waits for a next call (the first attempt at holding back
     * had no such flush and stalled a bulk run over the relay). A lone frame to an idle transport
     * (a sequential ask, its reply) goes at once.
     */
    void drain() {
        drain(false);
    }

    /**
     * How long frames are held at most while the transport is busy: about one write of a batch on
     * 127.0.0.1, and short against an ask's round trip.
     */
    static final long LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    /** @param flush send what is queued even if the transport is busy (the delayed flush) */
    private void drain(boolean flush) {
        while (draining.compareAndSet(false, true)) {
            boolean refused = false;
            boolean held = false;
            try {
                while (true) {
                    byte[] head;
                    int count;
                    byte[] message;
                    // Asked outside the lock: the transport is never called while we hold it.
                    boolean busy = !flush && transport.queueSize(peer) > 0;
                    synchronized (queue) {
                        head = queue.peek();
                        if (head == null) {
                            break;
                        }
                        if (busy && queue.size() < FrameCodec.MAX_BATCH) {
                            held = true;
                            break;
                        }
                        List<byte[]> batch = takeBatch();
                        count = batch.size();
                        message = count == 1 ? head : FrameCodec.encode(new Frame.Batch(batch));
                    }
                    if (!transport.send(peer, message)) {
                        refused = true;
                        break;
                    }
                    owner.counters.framesSent.add(count);
                    // What is still queued now waits for this message's write, unless it fills a batch.
                    flush = false;
                    synchronized (queue) {
                        // A disconnect may have cleared the queue meanwhile: remove only what was sent.
                        if (queue.peek() == head) {
                            for (int i = 0; i < count; i++) {
                                queue.poll();
                            }
                        }
                    }
                }
            } finally {
                draining.set(false);
            }
            if (refused) {
                scheduleRetry();
                return;
            }
            if (held) {
                scheduleFlush();
                return;
            }
            synchronized (queue) {
                if (queue.isEmpty()) {
                    return;
                }
            }
        }
    }

    /** The frames at the head of the queue that fit in one message, without removing them. */
    private List<byte[]> takeBatch() {
        int limit = owner.maxFrameSize;
        List<byte[]> batch = new ArrayList<>();
        int size = FrameCodec.BATCH_HEADER_BYTES;
        for (byte[] frame : queue) {
            int more = FrameCodec.BATCH_BYTES_PER_FRAME + frame.length;
            if (!batch.isEmpty() && (size + more > limit || batch.size() == FrameCodec.MAX_BATCH)) {
                break;
            }
            batch.add(frame);
            size += more;
        }
        return batch;
    }

    private void scheduleFlush() {
        if (connected && flushScheduled.compareAndSet(false, true)) {
            owner.schedule(
                    () -> {
                        flushScheduled.set(false);
                        drain(true);
                    },
                    LINGER_NANOS,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void scheduleRetry() {
        if (connected && retryScheduled.compareAndSet(false, true)) {
            owner.schedule(
                    () -> {
                        retryScheduled.set(false);
                        drain();
                    },
                    RemoteActors.RETRY_DELAY_MS,
                    TimeUnit.MILLISECONDS);
        }
    }
}
