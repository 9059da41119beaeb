package dev.ensemble.remote.wire;

import dev.ensemble.remote.wire.FrameException.Problem;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Puts the {@link Frame.Chunk chunks} one node sent us back together into the frames they were cut
 * from, within bounds, so that a slow, broken or hostile node holds at most {@code maxPartials ×
 * maxValueSize} bytes here, and only until {@code timeout} after a value's first chunk.
 *
 * <p>A chunked value ("stream") is dropped, its memory released and a {@link FrameException}
 * thrown, naming the message id and the reason, when: its declared total is above {@code
 * maxValueSize}; the node already has {@code maxPartials} incomplete values; a chunk disagrees with
 * the stream's first chunk about count or total length; an index arrives twice with different
 * bytes; or the slices carry more (or, when all have arrived, fewer) bytes than declared. A chunk
 * of a stream already completed or dropped is ignored (returns null), as is a repeated chunk with
 * the same bytes. Streams may interleave (each is keyed by its message id); the other streams and
 * every frame that is not a chunk are unaffected.
 *
 * <p>A value dropped for being above {@code maxValueSize} or beyond {@code maxPartials} is also
 * reported to the {@link DroppedValue} listener with its first bytes (its chunk 0, at once if it
 * has come, or when it comes), so that the receiver can tell the sender: a call it will never run,
 * a reply it will never deliver.
 *
 * <p>Inspired by ensemble-collab's {@code Reassembler} (the same checks), written again here
 * because ensemble-remote does not depend on ensemble-collab.
 *
 * <p>Thread-safe: the transport's callback thread offers chunks while the node's scheduler expires
 * streams; every method holds this object's monitor (held briefly, never while calling out: the
 * listener runs on the thread that offered the chunk, after the monitor is released).
 */
public final class ChunkReassembler {
    /** How many completed or dropped message ids are remembered, so that their late chunks are ignored. */
    static final int REMEMBERED_FINISHED = 1024;
    /** How many dropped values waiting for their chunk 0 (to be reported) are remembered. */
    static final int REMEMBERED_HEADLESS = 64;

    private final int maxValueSize;
    private final int maxPartials;
    private final long timeoutNanos;
    private final Consumer<DroppedValue> onDropped;

    private final Map<Long, Partial> partials = new HashMap<>();
    private final Map<Long, Boolean> finished = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > REMEMBERED_FINISHED;
        }
    };

    /** Values dropped before their chunk 0 came, by message id: reported when it comes. */
    private final Map<Long, DroppedValue> headless = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, DroppedValue> eldest) {
            return size() > REMEMBERED_HEADLESS;
        }
    };

    /**
     * A reassembler that reports no dropped value.
     *
     * @param maxValueSize the longest frame put back together, in bytes
     * @param maxPartials how many incomplete values the node may have at once
     * @param timeoutNanos how long after its first chunk a value may stay incomplete
     */
    public ChunkReassembler(int maxValueSize, int maxPartials, long timeoutNanos) {
        this(maxValueSize, maxPartials, timeoutNanos, dropped -> {});
    }

    /**
     * @param maxValueSize the longest frame put back together, in bytes
     * @param maxPartials how many incomplete values the node may have at once
     * @param timeoutNanos how long after its first chunk a value may stay incomplete
     * @param onDropped told of each value dropped for its size or for {@code maxPartials}, once its
     *     chunk 0 is known; runs on the thread that called {@link #offer}, which it must not block
     */
    public ChunkReassembler(int maxValueSize, int maxPartials, long timeoutNanos, Consumer<DroppedValue> onDropped) {
        this.maxValueSize = maxValueSize;
        this.maxPartials = maxPartials;
        this.timeoutNanos = timeoutNanos;
        this.onDropped = onDropped;
    }

    /**
     * Takes one chunk.
     *
     * @param chunk a decoded chunk from the node
     * @param nowNanos {@link System#nanoTime()}, or a test's clock
     * @return the whole frame if this chunk completed its stream, otherwise null
     * @throws FrameException if this chunk made its stream invalid; the stream is dropped
     */
    public byte[] offer(Frame.Chunk chunk, long nowNanos) throws FrameException {
        DroppedValue[] report = {null};
        try {
            return offer(chunk, nowNanos, report);
        } finally {
            if (report[0] != null) {
                onDropped.accept(report[0]);
            }
        }
    }

    private synchronized byte[] offer(Frame.Chunk chunk, long nowNanos, DroppedValue[] report) throws FrameException {
        long id = chunk.messageId();
        if (finished.containsKey(id)) {
            if (chunk.index() == 0) {
                DroppedValue waiting = headless.remove(id);
                if (waiting != null) {
                    report[0] = withHead(waiting, chunk);
                }
            }
            return null;
        }
        Partial partial = partials.get(id);
        if (partial == null) {
            if (chunk.totalLength() > maxValueSize) {
                report[0] = reportable(chunk, DroppedValue.Cause.TOO_LARGE, maxValueSize);
                throw drop(
                        id,
                        Problem.OVERSIZED,
                        "declares a value of " + chunk.totalLength() + " bytes, more than maxValueSize "
                                + maxValueSize);
            }
            if (partials.size() >= maxPartials) {
                report[0] = reportable(chunk, DroppedValue.Cause.TOO_MANY_PARTIAL, maxPartials);
                throw drop(
                        id,
                        Problem.OVERSIZED,
                        "the node already has " + partials.size() + " incomplete values (maxPartialValues "
                                + maxPartials + ")");
            }
            partial = new Partial(chunk.count(), chunk.totalLength(), nowNanos);
            partials.put(id, partial);
        } else if (partial.count != chunk.count() || partial.totalLength != chunk.totalLength()) {
            throw drop(
                    id,
                    Problem.MALFORMED,
                    "chunk " + chunk.index() + " says count " + chunk.count() + ", totalLength "
                            + chunk.totalLength() + " but the stream began with count " + partial.count
                            + ", totalLength " + partial.totalLength);
        }
        byte[] existing = partial.parts[chunk.index()];
        if (existing != null) {
            if (Arrays.equals(existing, chunk.data())) {
                return null;
            }
            throw drop(id, Problem.MALFORMED, "chunk " + chunk.index() + " arrived twice with different bytes");
        }
        if (partial.received + chunk.data().length > partial.totalLength) {
            throw drop(
                    id,
                    Problem.MALFORMED,
                    "the chunks carry more than the declared totalLength of " + partial.totalLength + " bytes");
        }
        partial.parts[chunk.index()] = chunk.data();
        partial.chunks++;
        partial.received += chunk.data().length;
        if (partial.chunks < partial.count) {
            return null;
        }
        partials.remove(id);
        finished.put(id, Boolean.TRUE);
        if (partial.received != partial.totalLength) {
            throw new FrameException(
                    Problem.TRUNCATED,
                    0,
                    "chunked value " + id + ": the " + partial.count + " chunks carry " + partial.received
                            + " bytes but declare totalLength " + partial.totalLength);
        }
        byte[] whole = new byte[partial.totalLength];
        int position = 0;
        for (byte[] part : partial.parts) {
            System.arraycopy(part, 0, whole, position, part.length);
            position += part.length;
        }
        return whole;
    }

    /**
     * Drops every stream whose first chunk came {@code timeout} or more ago.
     *
     * @param nowNanos {@link System#nanoTime()}, or a test's clock
     * @return how many were dropped
     */
    public synchronized int expire(long nowNanos) {
        int dropped = 0;
        Iterator<Map.Entry<Long, Partial>> entries = partials.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Long, Partial> entry = entries.next();
            if (nowNanos - entry.getValue().startedNanos >= timeoutNanos) {
                entries.remove();
                finished.put(entry.getKey(), Boolean.TRUE);
                dropped++;
            }
        }
        return dropped;
    }

    /** Forgets everything: a new connection starts new streams (and message ids). */
    public synchronized void clear() {
        partials.clear();
        finished.clear();
        headless.clear();
    }

    /**
     * Under the monitor: the report of a value dropped at this chunk, its first seen; null while its
     * chunk 0 has not come (it is then remembered, and reported when chunk 0 comes).
     */
    private DroppedValue reportable(Frame.Chunk chunk, DroppedValue.Cause cause, int limit) {
        DroppedValue dropped = new DroppedValue(chunk.messageId(), chunk.totalLength(), cause, limit, null);
        if (chunk.index() == 0) {
            return withHead(dropped, chunk);
        }
        headless.put(chunk.messageId(), dropped);
        return null;
    }

    private static DroppedValue withHead(DroppedValue dropped, Frame.Chunk chunk) {
        return new DroppedValue(
                dropped.messageId(), dropped.totalLength(), dropped.cause(), dropped.limit(), chunk.data());
    }

    /** @return the bytes held by incomplete streams */
    public synchronized long bufferedBytes() {
        long bytes = 0;
        for (Partial partial : partials.values()) {
            bytes += partial.received;
        }
        return bytes;
    }

    /** @return how many streams are incomplete */
    public synchronized int partialCount() {
        return partials.size();
    }

    private FrameException drop(long id, Problem problem, String detail) {
        partials.remove(id);
        finished.put(id, Boolean.TRUE);
        return new FrameException(problem, 0, "chunked value " + id + " dropped: " + detail);
    }

    /** The slices received so far of one value. */
    private static final class Partial {
        final int count;
        final int totalLength;
        final long startedNanos;
        final byte[][] parts;
        int chunks;
        long received;

        Partial(int count, int totalLength, long startedNanos) {
            this.count = count;
            this.totalLength = totalLength;
            this.startedNanos = startedNanos;
            this.parts = new byte[count][];
        }
    }
}
