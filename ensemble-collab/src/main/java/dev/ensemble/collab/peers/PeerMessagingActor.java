package dev.ensemble.collab.peers;

import dev.ensemble.collab.wire.ChunkStreamException;
import dev.ensemble.collab.wire.Chunker;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.collab.wire.EnvelopeCodec;
import dev.ensemble.collab.wire.EnvelopeException;
import dev.ensemble.collab.wire.EnvelopeKind;
import dev.ensemble.collab.wire.Reassembler;
import dev.ensemble.core.Actor;
import dev.ensemble.core.Cancellable;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportListener;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries envelopes between this peer and the peers of a room, over the best transport up for
 * each: the first of its transports, in order of preference, on which the peer is connected.
 *
 * <pre>
 *  send(peer, envelope)                                   transport callbacks (any thread)
 *        |                                                         |
 *        v                                                         v
 *  [route: the peer's transport, or its bounded queue]     [into this actor's mailbox]
 *        |                                                         |
 *  [encode; split into chunks above the transport's limit] [decode; reassemble chunks]
 *        |                                                         |
 *        v                                                         v
 *  transport.send(peer, frame)                      events: document:&lt;id&gt;, ephemeral, peer-error
 * </pre>
 *
 * <p>Roster changes (a peer reachable on some transport, or on none) update the state
 * ({@link Roster}) and emit {@link PeerEvents#PEER_JOINED}, {@link PeerEvents#PEER_LEFT} and
 * {@link PeerEvents#TRANSPORT_CHANGED}. When a peer comes back, what waited for it is sent first. What a
 * transport hands back unsent when it loses a peer ({@code TransportListener.onUnsent}) goes over the next
 * transport, ahead of anything sent since.
 *
 * <p>Bad input never stops the actor: an undecodable frame, a bad chunk stream or an expired one
 * is dropped with a {@link PeerEvents#ERROR} event naming the peer (and the document when it is
 * known); every other peer and document carries on.
 *
 * <p>Threading: an actor; transports' callbacks are handed to its mailbox.
 */
public class PeerMessagingActor extends Actor<Roster> implements PeerMessaging {
    private static final Logger LOG = LoggerFactory.getLogger(PeerMessagingActor.class);
    /** How soon a queue that a connected transport refused is offered again. */
    private static final Duration RETRY_DELAY = Duration.ofMillis(10);

    private final PeerMessagingSettings settings;
    private final EnvelopeCodec codec;
    /** Turn-owned: the peers connected on each transport, by transport name. */
    private final Map<String, Set<PeerId>> connected = new HashMap<>();
    /** Turn-owned: what this actor keeps per peer it has ever seen. */
    private final Map<PeerId, Link> links = new HashMap<>();
    /**
     * The document id of the last envelope dispatched and the name of its event, so that a stream
     * of envelopes for one document makes its event name once: made anew, the name was a string
     * concatenation and a fresh hash for the listeners' look-up on every frame.
     */
    private String lastDocumentId;

    private String lastDocumentEvent;

    /**
     * @param settings transports and limits
     */
    public PeerMessagingActor(PeerMessagingSettings settings) {
        super(Roster.empty());
        this.settings = settings;
        this.codec = EnvelopeCodec.withMaxFrameSize(settings.maxEnvelopeBytes());
    }

    @Override
    protected void onStart() {
        Executor mailbox = mailboxExecutor();
        for (Transport transport : settings.transports()) {
            connected.put(transport.name(), new HashSet<>());
            transport.start(new TransportListener() {
                @Override
                public void onPeerConnected(PeerId peer) {
                    mailbox.execute(() -> peerConnected(transport, peer));
                }

                @Override
                public void onPeerDisconnected(PeerId peer, String reason) {
                    mailbox.execute(() -> peerDisconnected(transport, peer, reason));
                }

                @Override
                public void onUnsent(PeerId peer, List<byte[]> messages) {
                    mailbox.execute(() -> unsent(transport, peer, messages));
                }

                @Override
                public void onMessage(PeerId from, byte[] message) {
                    mailbox.execute(() -> received(transport, from, message));
                }

                @Override
                public void onError(TransportException error) {
                    mailbox.execute(() -> transportError(transport, error));
                }
            });
        }
        scheduleAtFixedRate(settings.expiryCheck(), settings.expiryCheck(), this::expireChunkStreams);
    }

    @Override
    protected void onStop() {
        for (Transport transport : settings.transports()) {
            try {
                transport.close();
            } catch (RuntimeException e) {
                LOG.warn("closing transport {} failed", transport.name(), e);
            }
        }
    }

    @Override
    public void send(PeerId to, Envelope envelope) {
        Link link = links.get(to);
        if (link == null) {
            emit(
                    PeerEvents.ERROR,
                    new PeerEvents.PeerError(
                            to,
                            envelope.documentId(),
                            "cannot send " + envelope.kind().wireName() + " to " + to
                                    + ": no such peer has been seen"));
            return;
        }
        if (!link.waiting.isEmpty()) {
            // Behind what already waits, so that a peer receives in the order sent.
            link.enqueue(envelope);
            link.flush();
        } else if (link.transport == null || !transmit(link, envelope)) {
            link.enqueue(envelope);
            link.retryLater();
        }
    }

    @Override
    public void broadcast(Envelope envelope) {
        for (PeerId peer : state().peers()) {
            send(peer, envelope);
        }
    }

    @Override
    public CompletableFuture<Roster> roster() {
        return reply(state());
    }

    // ------------------------------------------------------------------ transport events, in turn

    private void peerConnected(Transport transport, PeerId peer) {
        connected.get(transport.name()).add(peer);
        links.computeIfAbsent(peer, Link::new);
        choose(peer);
    }

    private void peerDisconnected(Transport transport, PeerId peer, String reason) {
        if (connected.get(transport.name()).remove(peer)) {
            LOG.debug("peer {} disconnected from {}: {}", peer, transport.name(), reason);
            choose(peer);
        }
    }

    /**
     * Puts what a transport could not send back at the head of the peer's queue, in order, ahead of
     * anything queued since; the switch to the next transport (or the next connection) sends it.
     */
    private void unsent(Transport transport, PeerId peer, List<byte[]> frames) {
        Link link = links.get(peer);
        if (link == null || frames.isEmpty()) {
            return;
        }
        List<Envelope> envelopes = new ArrayList<>(frames.size());
        for (byte[] frame : frames) {
            try {
                envelopes.add(codec.decode(frame));
            } catch (EnvelopeException e) {
                error(
                        peer,
                        null,
                        "dropped an unsent frame of " + frame.length + " bytes for " + peer + " that "
                                + transport.name() + " handed back undecodable: " + e.getMessage());
            }
        }
        LOG.debug(
                "peer {}: {} message(s) unsent over {} wait for its next transport",
                peer,
                envelopes.size(),
                transport.name());
        link.requeue(envelopes);
        // Also when the peer's transport is this one: it may be up again already (a fast reconnect), and
        // if its loss is still to be processed, the refused flush is retried until then.
        link.flush();
    }

    private void transportError(Transport transport, TransportException error) {
        LOG.warn("transport {} reported an error", transport.name(), error);
        emit(PeerEvents.ERROR, new PeerEvents.PeerError(null, null, transport.name() + ": " + error.getMessage()));
    }

    /** Picks the preferred transport on which the peer is connected, and tells about any change. */
    private void choose(PeerId peer) {
        Link link = links.get(peer);
        Transport chosen = null;
        for (Transport transport : settings.transports()) {
            if (connected.get(transport.name()).contains(peer)) {
                chosen = transport;
                break;
            }
        }
        Transport previous = link.transport;
        if (chosen == previous) {
            return;
        }
        link.transport = chosen;
        String from = previous == null ? null : previous.name();
        String to = chosen == null ? null : chosen.name();
        LOG.debug("peer {}: transport {} -> {}, {} envelope(s) waiting", peer, from, to, link.waiting.size());
        setState(state().with(peer, to));
        emit(PeerEvents.TRANSPORT_CHANGED, new PeerEvents.TransportChanged(peer, from, to));
        if (previous == null) {
            emit(PeerEvents.PEER_JOINED, peer);
        } else if (chosen == null) {
            emit(PeerEvents.PEER_LEFT, peer);
        }
        if (chosen != null) {
            link.flush();
        }
    }

    private void received(Transport transport, PeerId from, byte[] frame) {
        Envelope envelope;
        try {
            envelope = codec.decode(frame);
        } catch (EnvelopeException e) {
            error(
                    from,
                    null,
                    "dropped a malformed frame of " + frame.length + " bytes from " + from + " over " + transport.name()
                            + ": " + e.getMessage());
            return;
        }
        Link link = links.computeIfAbsent(from, Link::new);
        if (envelope.kind() == EnvelopeKind.CHUNK) {
            Optional<Envelope> whole;
            try {
                whole = link.reassembler.offer(envelope);
            } catch (ChunkStreamException e) {
                error(from, e.documentId(), "dropped a chunk stream from " + from + ": " + e.getMessage());
                return;
            }
            if (whole.isEmpty()) {
                return;
            }
            envelope = whole.get();
        }
        dispatch(link, envelope);
    }

    private void dispatch(Link link, Envelope envelope) {
        switch (envelope.kind()) {
            case SYNC, SNAPSHOT, CHANGES, ACK ->
                emit(documentEvent(envelope.documentId()), new PeerEvents.Received(link.peer, envelope));
            case EPHEMERAL -> emit(PeerEvents.EPHEMERAL, new PeerEvents.Received(link.peer, envelope));
            case PING -> send(link.peer, Envelope.pong(envelope.payload()));
            case PONG -> emit(PeerEvents.EPHEMERAL, new PeerEvents.Received(link.peer, envelope));
            default ->
                error(
                        link.peer,
                        envelope.documentId(),
                        "dropped an unexpected " + envelope.kind().wireName() + " envelope from " + link.peer);
        }
    }

    private String documentEvent(String documentId) {
        if (!documentId.equals(lastDocumentId)) {
            lastDocumentEvent = PeerEvents.document(documentId);
            lastDocumentId = documentId;
        }
        return lastDocumentEvent;
    }

    private void expireChunkStreams() {
        for (Link link : links.values()) {
            for (ChunkStreamException expired : link.reassembler.expire()) {
                error(
                        link.peer,
                        expired.documentId(),
                        "a chunk stream from " + link.peer + " never completed: " + expired.getMessage());
            }
        }
    }

    private void error(PeerId peer, String documentId, String message) {
        LOG.warn("{}", message);
        emit(PeerEvents.ERROR, new PeerEvents.PeerError(peer, documentId, message));
    }

    /** Encodes, chunks and hands an envelope to the peer's transport; false if it refused. */
    private boolean transmit(Link link, Envelope envelope) {
        Transport transport = link.transport;
        int limit = transport.maxMessageSize();
        int size = EnvelopeCodec.encodedSize(envelope);
        if (size > limit && envelope.kind() == EnvelopeKind.CHUNK) {
            // Handed back unsent by a transport with a larger limit; a chunk is never chunked again.
            error(
                    link.peer,
                    envelope.documentId(),
                    "dropped a chunk of " + size + " bytes for " + link.peer
                            + " that another transport handed back: it does not fit " + transport.name()
                            + "'s limit of "
                            + limit + " bytes (the receiver's stream expires; sync recovers)");
            return true;
        }
        List<byte[]> frames = size <= limit
                ? List.of(EnvelopeCodec.encode(envelope))
                : link.chunker(transport).split(envelope);
        for (byte[] frame : frames) {
            if (!transport.send(link.peer, frame)) {
                return false;
            }
        }
        return true;
    }

    /** Turn-owned state for one peer. */
    private final class Link {
        final PeerId peer;
        final Reassembler reassembler;
        final Map<String, Chunker> chunkers = new HashMap<>();
        final ArrayDeque<Envelope> waiting = new ArrayDeque<>();
        Transport transport;
        /** Set while a retry of {@link #flush} is scheduled. */
        Cancellable retry;

        Link(PeerId peer) {
            this.peer = peer;
            this.reassembler = new Reassembler(peer, settings.reassembly(), InstantSource.system());
        }

        Chunker chunker(Transport transport) {
            return chunkers.computeIfAbsent(transport.name(), name -> new Chunker(transport.maxMessageSize()));
        }

        void enqueue(Envelope envelope) {
            waiting.addLast(envelope);
            trim();
        }

        /** Puts envelopes that are older than everything waiting at the head of the queue, in order. */
        void requeue(List<Envelope> older) {
            for (int i = older.size() - 1; i >= 0; i--) {
                waiting.addFirst(older.get(i));
            }
            trim();
        }

        private void trim() {
            while (waiting.size() > settings.queueLimit()) {
                Envelope dropped = waiting.pollFirst();
                error(
                        peer,
                        dropped.documentId(),
                        "dropped the oldest " + dropped.kind().wireName() + " envelope waiting for " + peer
                                + ": its queue holds " + settings.queueLimit());
            }
        }

        void flush() {
            while (transport != null && !waiting.isEmpty()) {
                Envelope next = waiting.peekFirst();
                if (!transmit(this, next)) {
                    retryLater();
                    return;
                }
                waiting.pollFirst();
            }
        }

        /**
         * A transport that is up refused (its send queue is full): try again shortly. Transports tell
         * no "writable again", so the queue is retried on a timer rather than left until the next
         * connection change.
         */
        void retryLater() {
            if (transport == null || retry != null) {
                return;
            }
            retry = scheduleOnce(RETRY_DELAY, () -> {
                retry = null;
                flush();
            });
        }
    }
}
