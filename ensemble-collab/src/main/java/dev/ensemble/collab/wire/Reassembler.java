package dev.ensemble.collab.wire;

import dev.ensemble.collab.wire.ChunkStreamException.Reason;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts the {@link EnvelopeKind#CHUNK chunk} streams of one peer back together into the envelopes
 * that a {@link Chunker} split, within {@link ReassemblyLimits}.
 *
 * <p>Every decoded envelope from the peer goes through {@link #offer(Envelope)}: an envelope that
 * is not a chunk comes straight back; a chunk is kept until its stream is complete, and the last
 * one returns the reassembled envelope. Chunks may arrive in any order; a chunk that arrives
 * twice with the same bytes is ignored, as is any chunk of a stream that was already completed or
 * dropped.
 *
 * <h2>Bad streams</h2>
 *
 * A stream is dropped, its memory released, and a {@link ChunkStreamException} naming the peer,
 * the document and the reason thrown (or, for expiry, returned) when: a chunk disagrees with the
 * stream about its document, count or total length; an index arrives twice with different bytes;
 * the chunks carry more or fewer bytes than declared; the declared size, chunk count or number
 * of concurrent streams is over the limits; the reassembled bytes are not a valid envelope for
 * the stream's document; or no new chunk arrived within the timeout. Other envelopes and
 * streams of the peer are unaffected.
 *
 * <h2>Time</h2>
 *
 * Expiry reads the clock given at construction, so tests use a manual clock. Nothing expires by
 * itself: the owner calls {@link #expire()} periodically (for example once a second from a timer
 * of its actor) and logs what it returns.
 *
 * <h2>Threading and scope</h2>
 *
 * Not thread-safe: one owner (the actor that receives from the peer) calls it. Use one per peer,
 * fed by every transport that reaches the peer, and discard it when the peer is gone from all of
 * them, which releases every partial stream.
 *
 * <pre>{@code
 * Reassembler reassembler = new Reassembler(peer, ReassemblyLimits.DEFAULTS, clock);
 * try {
 *   reassembler.offer(codec.decode(frame)).ifPresent(this::handle);
 * } catch (EnvelopeException e) {
 *   log.warn("dropped input from peer {}: {}", peer, e.getMessage());
 * }
 * }</pre>
 */
public final class Reassembler {

    /** How many completed or dropped message ids are remembered to ignore their late chunks. */
    static final int REMEMBERED_FINISHED_STREAMS = 1024;

    private final PeerId peer;
    private final ReassemblyLimits limits;
    private final InstantSource clock;
    private final EnvelopeCodec codec;

    // All state below is owned by the single thread that uses this reassembler.
    private final Map<Integer, PartialMessage> partials = new HashMap<>();
    private final Map<Integer, Boolean> finished = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > REMEMBERED_FINISHED_STREAMS;
        }
    };
    private long bufferedBytes;

    /**
     * Creates a reassembler for the chunk streams of one peer.
     *
     * @param peer the sending peer, named in every error
     * @param limits the bounds to enforce
     * @param clock the time source for expiry; {@code java.time.Clock.systemUTC()} in production
     */
    public Reassembler(PeerId peer, ReassemblyLimits limits, InstantSource clock) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.codec = EnvelopeCodec.withMaxFrameSize(limits.maxMessageSize());
    }

    /**
     * Takes one envelope received from the peer. <b>Warning</b>: not thread-safe.
     *
     * @param envelope a decoded envelope
     * @return the envelope itself if it is not a chunk; the reassembled envelope if this chunk
     *     completed its stream; otherwise empty
     * @throws ChunkStreamException if this chunk made its stream invalid; the stream is dropped
     */
    public Optional<Envelope> offer(Envelope envelope) throws ChunkStreamException {
        if (envelope.kind() != EnvelopeKind.CHUNK) {
            return Optional.of(envelope);
        }
        ChunkHeader header = envelope.chunk();
        int messageId = header.messageId();
        if (finished.containsKey(messageId)) {
            return Optional.empty();
        }
        PartialMessage partial = partials.get(messageId);
        if (partial == null) {
            partial = start(envelope);
        } else if (!partial.documentId.equals(envelope.documentId())
                || partial.count != header.count()
                || partial.totalLength != header.totalLength()) {
            throw drop(
                    messageId,
                    partial.documentId,
                    Reason.INCONSISTENT,
                    "chunk " + header.index()
                            + " says document \"" + envelope.documentId() + "\", count " + header.count()
                            + ", totalLength " + header.totalLength() + " but the stream began with count "
                            + partial.count + ", totalLength " + partial.totalLength);
        }
        byte[] part = envelope.payload();
        byte[] existing = partial.parts[header.index()];
        if (existing != null) {
            if (Arrays.equals(existing, part)) {
                return Optional.empty();
            }
            throw drop(
                    messageId,
                    partial.documentId,
                    Reason.CONFLICTING_DUPLICATE,
                    "chunk " + header.index() + " arrived twice with different bytes");
        }
        if (partial.receivedBytes + part.length > partial.totalLength) {
            throw drop(
                    messageId,
                    partial.documentId,
                    Reason.INCONSISTENT,
                    "the chunks carry more" + " than the declared totalLength of " + partial.totalLength + " bytes");
        }
        partial.parts[header.index()] = part;
        partial.receivedChunks++;
        partial.receivedBytes += part.length;
        partial.lastProgress = clock.instant();
        bufferedBytes += part.length;
        return partial.receivedChunks == partial.count ? Optional.of(complete(messageId, partial)) : Optional.empty();
    }

    /**
     * Drops every stream that has had no new chunk for at least the timeout. <b>Warning</b>: not
     * thread-safe.
     *
     * @return one error per dropped stream, in no particular order; empty if none expired
     */
    public List<ChunkStreamException> expire() {
        Instant now = clock.instant();
        List<ChunkStreamException> expired = new ArrayList<>();
        Iterator<Map.Entry<Integer, PartialMessage>> entries =
                partials.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Integer, PartialMessage> entry = entries.next();
            PartialMessage partial = entry.getValue();
            Duration idle = Duration.between(partial.lastProgress, now);
            if (idle.compareTo(limits.timeout()) >= 0) {
                entries.remove();
                bufferedBytes -= partial.receivedBytes;
                finished.put(entry.getKey(), Boolean.TRUE);
                expired.add(new ChunkStreamException(
                        peer,
                        partial.documentId,
                        entry.getKey(),
                        Reason.EXPIRED,
                        "no new chunk for " + idle + " (timeout " + limits.timeout()
                                + "); had " + partial.receivedChunks + " of " + partial.count + " chunks, "
                                + partial.receivedBytes + " of " + partial.totalLength + " bytes",
                        null));
            }
        }
        return expired;
    }

    /**
     * Returns how many streams are incomplete.
     *
     * @return the number of partial messages held
     */
    public int partialMessageCount() {
        return partials.size();
    }

    /**
     * Returns the bytes held by incomplete streams.
     *
     * @return the sum of the payloads of the chunks held
     */
    public long bufferedBytes() {
        return bufferedBytes;
    }

    private PartialMessage start(Envelope first) throws ChunkStreamException {
        ChunkHeader header = first.chunk();
        String documentId = first.documentId();
        if (header.totalLength() > limits.maxMessageSize()) {
            throw drop(
                    header.messageId(),
                    documentId,
                    Reason.TOO_LARGE,
                    "the message is " + header.totalLength() + " bytes, above maxMessageSize "
                            + limits.maxMessageSize());
        }
        if (header.count() > limits.maxChunksPerMessage()) {
            throw drop(
                    header.messageId(),
                    documentId,
                    Reason.TOO_MANY_CHUNKS,
                    "the stream declares "
                            + header.count() + " chunks, above maxChunksPerMessage "
                            + limits.maxChunksPerMessage());
        }
        if (partials.size() >= limits.maxPartialMessages()) {
            throw drop(
                    header.messageId(),
                    documentId,
                    Reason.TOO_MANY_PARTIAL_MESSAGES,
                    "the peer"
                            + " already has " + partials.size() + " incomplete streams (maxPartialMessages "
                            + limits.maxPartialMessages() + ")");
        }
        PartialMessage partial = new PartialMessage(documentId, header.count(), header.totalLength(), clock.instant());
        partials.put(header.messageId(), partial);
        return partial;
    }

    private Envelope complete(int messageId, PartialMessage partial) throws ChunkStreamException {
        partials.remove(messageId);
        bufferedBytes -= partial.receivedBytes;
        finished.put(messageId, Boolean.TRUE);
        if (partial.receivedBytes != partial.totalLength) {
            throw new ChunkStreamException(
                    peer,
                    partial.documentId,
                    messageId,
                    Reason.INCONSISTENT,
                    "the " + partial.count + " chunks carry " + partial.receivedBytes
                            + " bytes but declare totalLength " + partial.totalLength,
                    null);
        }
        byte[] frame = new byte[partial.totalLength];
        int position = 0;
        for (byte[] part : partial.parts) {
            System.arraycopy(part, 0, frame, position, part.length);
            position += part.length;
        }
        Envelope inner;
        try {
            inner = codec.decode(frame);
        } catch (EnvelopeException e) {
            throw new ChunkStreamException(
                    peer,
                    partial.documentId,
                    messageId,
                    Reason.INVALID_CONTENT,
                    "the reassembled " + frame.length + " bytes are not a valid envelope: " + e.getMessage(),
                    e);
        }
        if (inner.kind() == EnvelopeKind.CHUNK) {
            throw new ChunkStreamException(
                    peer,
                    partial.documentId,
                    messageId,
                    Reason.INVALID_CONTENT,
                    "the reassembled envelope is itself a chunk; chunks do not nest",
                    null);
        }
        if (!inner.documentId().equals(partial.documentId)) {
            throw new ChunkStreamException(
                    peer,
                    partial.documentId,
                    messageId,
                    Reason.INVALID_CONTENT,
                    "the reassembled envelope names document \"" + inner.documentId() + "\", not the stream's",
                    null);
        }
        return inner;
    }

    private ChunkStreamException drop(int messageId, String documentId, Reason reason, String detail) {
        PartialMessage partial = partials.remove(messageId);
        if (partial != null) {
            bufferedBytes -= partial.receivedBytes;
        }
        finished.put(messageId, Boolean.TRUE);
        return new ChunkStreamException(peer, documentId, messageId, reason, detail, null);
    }

    /** The chunks received so far of one stream. */
    private static final class PartialMessage {
        final String documentId;
        final int count;
        final int totalLength;
        final byte[][] parts;
        int receivedChunks;
        long receivedBytes;
        Instant lastProgress;

        PartialMessage(String documentId, int count, int totalLength, Instant now) {
            this.documentId = documentId;
            this.count = count;
            this.totalLength = totalLength;
            this.parts = new byte[count][];
            this.lastProgress = now;
        }
    }
}
