package dev.ensemble.benchmarks.collab;

import dev.ensemble.collab.wire.ChunkHeader;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.collab.wire.EnvelopeCodec;
import dev.ensemble.collab.wire.EnvelopeException;
import dev.ensemble.collab.wire.EnvelopeKind;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Transport} that counts what it is handed: every frame a peer gives to the network,
 * framing included (the envelope bytes exactly as passed to {@code send}), by envelope kind
 * (chunks by the kind of the envelope they carry, as {@code chunk:snapshot} or {@code chunk:sync}).
 * Only frames the wrapped transport accepted are counted. Thread-safe: the counters are guarded
 * by this object's monitor.
 *
 * <pre>{@code
 * CountingTransport counted = new CountingTransport(network.transportFor(alice));
 * // ... give it to PeerMessagingSettings, run ...
 * long bytes = counted.tally().bytes();
 * }</pre>
 */
public final class CountingTransport implements Transport {
    private static final EnvelopeCodec CODEC = EnvelopeCodec.withMaxFrameSize(Integer.MAX_VALUE);

    private final Transport delegate;
    // Guarded by this.
    private final Map<String, long[]> byKind = new TreeMap<>();
    private long rejected;
    /** The kind of each chunked envelope being sent, by peer and message id, until its last chunk. */
    private final Map<String, String> chunkedKinds = new HashMap<>();

    /**
     * @param delegate the transport that really sends
     */
    public CountingTransport(Transport delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public int maxMessageSize() {
        return delegate.maxMessageSize();
    }

    @Override
    public void start(TransportListener listener) {
        delegate.start(listener);
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        String kind = kindOf(to, message);
        boolean accepted = delegate.send(to, message);
        synchronized (this) {
            if (accepted) {
                long[] counts = byKind.computeIfAbsent(kind, k -> new long[2]);
                counts[0]++;
                counts[1] += message.length;
            } else {
                rejected++;
            }
        }
        return accepted;
    }

    /**
     * The envelope's kind; for a chunk, {@code chunk:} and the kind of the envelope it carries,
     * read from the first chunk's slice (whose second byte is that envelope's kind).
     */
    private String kindOf(PeerId to, byte[] frame) {
        Envelope envelope;
        try {
            envelope = CODEC.decode(frame);
        } catch (EnvelopeException e) {
            return "malformed";
        }
        if (envelope.kind() != EnvelopeKind.CHUNK) {
            return envelope.kind().wireName();
        }
        ChunkHeader header = envelope.chunk();
        String stream = to + "/" + header.messageId();
        synchronized (this) {
            if (header.index() == 0) {
                chunkedKinds.put(stream, "chunk:" + innerKind(envelope.payload()));
            }
            String kind = chunkedKinds.getOrDefault(stream, "chunk:unknown");
            if (header.index() == header.count() - 1) {
                chunkedKinds.remove(stream);
            }
            return kind;
        }
    }

    private static String innerKind(byte[] firstSlice) {
        if (firstSlice.length >= 2) {
            for (EnvelopeKind kind : EnvelopeKind.values()) {
                if (kind.code() == (firstSlice[1] & 0xFF)) {
                    return kind.wireName();
                }
            }
        }
        return "unknown";
    }

    @Override
    public int queueSize(PeerId peer) {
        return delegate.queueSize(peer);
    }

    @Override
    public void close() {
        delegate.close();
    }

    /**
     * Returns what was sent since the last {@link #reset()}.
     *
     * @return the counts
     */
    public synchronized Traffic tally() {
        Map<String, Traffic.Kind> kinds = new TreeMap<>();
        byKind.forEach((kind, counts) -> kinds.put(kind, new Traffic.Kind(counts[0], counts[1])));
        return new Traffic(kinds, rejected);
    }

    /** Starts counting from zero. */
    public synchronized void reset() {
        byKind.clear();
        rejected = 0;
    }
}
