package dev.ensemble.collab.sync;

import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * INTERNAL API. The sync protocol of one document with the peers of a room: one {@link
 * PeerSession} per peer, driven by what arrives from the peer, by batches of changes of this side
 * ({@link #flush()}) and by the periodic resync tick ({@link #resync()}). It reaches the world only
 * through two ports: the {@link SyncDocument} (every Automerge call) and the {@link SyncHost}
 * (sending, one-shot timers, and telling the owner that peers changed the document). The wire
 * conversation it speaks is specified in {@code docs/PROTOCOL.md}, "The sync conversation for
 * one document".
 *
 * <pre>{@code
 * SyncEngine engine = new SyncEngine("board", document, host, Duration.ofSeconds(5));
 * engine.peerJoined(bob);                       // asks for a snapshot, or waits for bob to speak
 * engine.received(bob, envelope);               // replies through host.send(...)
 * document.edit(...); engine.flush();           // pushes the batch to peers in sync
 * engine.resync();                              // every resync interval
 * }</pre>
 *
 * <h2>A session's phases</h2>
 *
 * Each session is in one {@link Phase} that says how this side's changes reach the peer (the
 * transitions are the methods of {@link PeerSession}):
 *
 * <pre>
 *  join: empty document,            join: history,                 join: the peer left before
 *  nothing parked                   nothing parked                 (its shared heads were parked)
 *      |                                |                                     |
 *      v                                v                                     |
 *  +-------------------+  sends   +-----------+                               |
 *  | AWAITING_SNAPSHOT |  request | GRACE     |  any input, flush, tick,      |
 *  +-------------------+          +-----------+  transport change, 250 ms     |
 *      | snapshot merged; sync,         |                                     |
 *      | flush or tick once this        v                                     v
 *      | side holds more; timeout  +-----------+ &lt;----------------------------+
 *      +-------------------------> |  SYNCING  | &lt;-------------------------------------+
 *                                  +-----------+                                       |
 *                                       | a sync message leaves both in sync           |
 *                                       v                                              |
 *                                  +-----------+   a sync message that does not; a     |
 *                       +--------> |  IN_SYNC  |   rejected one; changes not pushed     |
 *                       |          +-----------+   from the shared heads, bringing     |
 *      ack of the last  |               | flush:   nothing new or rejected; transport  |
 *      push             |               | push     change (from IN_SYNC or PUSHING)    |
 *                       |               v                                              |
 *                       |          +-----------+                                       |
 *                       +--------- |  PUSHING  | --------------------------------------+
 *                                  +-----------+  second tick without an ack: sync rounds
 *                                    |     ^
 *                                    +-----+  flush: push; first tick without an ack;
 *                                             ack of an earlier push
 * </pre>
 *
 * A sync message that leaves both sides in sync moves any phase but {@code AWAITING_SNAPSHOT} to
 * {@code IN_SYNC}. Besides its phase, a session owes the peer a confirmation while changes it
 * pushed have arrived and no sync message has gone back since; the next tick then sends one
 * {@code ack} of this side's heads (or a sync round, if the peer is not known to hold them), and
 * that tick does nothing else for the session.
 *
 * <h2>Catching up</h2>
 *
 * Automerge's sync assumes a reliable stream; on a lossy network four rules keep a catch-up
 * from stalling. Pushes stop once they are overdue, so that no peer receives changes built on a
 * lost one. A peer in sync answers a retry that shows the sender does not know it, which
 * Automerge would leave unanswered. A peer that asks for changes by hash alone (it holds changes
 * whose ancestors it lacks) gets, if this side holds all its heads and some of the changes it asks
 * for, everything it lacks at once rather than one ancestor per round trip. And changes of more than one frame go as a snapshot
 * of the whole document when that is at least {@value #SNAPSHOT_ADVANTAGE} times smaller (a sync
 * message follows without its changes): a few frames, applied whole, instead of many that are
 * all lost with any one of them.
 *
 * <h2>Threading and memory</h2>
 *
 * Not thread-safe: the owner (a collaboration actor) calls every method inside its turns, and
 * the host runs the engine's timers there too. {@link #close()} frees every Automerge sync state;
 * call it when the owner stops or restarts.
 */
public final class SyncEngine {
    /**
     * How long a peer that holds history waits for a newcomer to speak first. A newcomer with
     * nothing asks for a snapshot; a first sync message sent meanwhile would carry a Bloom filter
     * of the whole history (325 KB for the automerge-paper document) that the snapshot makes
     * useless. If the other side says nothing, sync starts anyway.
     */
    static final Duration INITIAL_SYNC_GRACE = Duration.ofMillis(250);
    /**
     * A sync message or catch-up above this size (one 64 KiB frame) is sent as a snapshot of the
     * whole document instead when the snapshot is {@link #SNAPSHOT_ADVANTAGE} times smaller.
     */
    static final int LARGE_CATCH_UP_BYTES = 64 * 1024;
    /**
     * How much smaller the snapshot must be. A snapshot costs the receiver a load of the whole
     * document (about 10 us per change of the automerge-paper document) on top of applying what it
     * lacks, so it pays only where it saves many frames.
     */
    static final int SNAPSHOT_ADVANTAGE = 2;

    private final String documentId;
    private final SyncDocument document;
    private final SyncHost host;
    private final Duration snapshotTimeout;
    // Turn-owned, like everything the engine touches.
    private final Map<PeerId, PeerSession> sessions = new HashMap<>();
    /** The heads shared with peers that left: a returning peer resumes cheaply. */
    private final Map<PeerId, Heads> parked = new HashMap<>();
    /** The heads at the end of the last flush: what every peer that was pushed to holds. */
    private Heads flushedHeads;
    /** The last snapshot made, for all peers that need one while the document stays the same; or null. */
    private byte[] snapshot;
    /** The heads {@link #snapshot} was made at. */
    private Heads snapshotHeads;

    /**
     * @param documentId the document's id on the wire
     * @param document the document, touched only on the owner's thread
     * @param host sending, timers and notifications
     * @param snapshotTimeout how long a peer with an empty document waits for a snapshot
     *     before it syncs change by change
     */
    public SyncEngine(String documentId, SyncDocument document, SyncHost host, Duration snapshotTimeout) {
        this.documentId = Objects.requireNonNull(documentId, "documentId");
        this.document = Objects.requireNonNull(document, "document");
        this.host = Objects.requireNonNull(host, "host");
        this.snapshotTimeout = Objects.requireNonNull(snapshotTimeout, "snapshotTimeout");
        this.flushedHeads = document.heads();
    }

    /**
     * A peer joined the room (or was heard from for the first time): a session starts, resuming
     * from what was shared if the peer was here before. Nothing happens for a peer already known.
     * <em>Not thread-safe</em>.
     *
     * @param peer the peer
     */
    public void peerJoined(PeerId peer) {
        if (!sessions.containsKey(peer)) {
            sessions.put(peer, PeerSession.open(this, peer, parked.remove(peer)));
        }
    }

    /**
     * A peer left the room: its session ends, and the heads it shares with this side are kept
     * for when it returns. <em>Not thread-safe</em>.
     *
     * @param peer the peer
     */
    public void peerLeft(PeerId peer) {
        PeerSession session = sessions.remove(peer);
        if (session != null) {
            parked.put(peer, session.park());
            session.close();
        }
    }

    /**
     * A peer moved from one transport to another. A move from or to no transport is a join or a
     * leave, reported separately, and is ignored here. <em>Not thread-safe</em>.
     *
     * @param peer the peer
     * @param from the previous transport's name, or null
     * @param to the new transport's name, or null
     */
    public void transportChanged(PeerId peer, String from, String to) {
        PeerSession session = sessions.get(peer);
        if (from != null && to != null && session != null) {
            session.onTransportChanged();
        }
    }

    /**
     * An envelope for this document arrived from a peer. <em>Not thread-safe</em>.
     *
     * @param from the peer
     * @param envelope a {@code sync}, {@code snapshot}, {@code changes} or {@code ack} envelope
     *     (anything else is rejected)
     */
    public void received(PeerId from, Envelope envelope) {
        peerJoined(from);
        PeerSession session = sessions.get(from);
        session.heard();
        byte[] payload = envelope.payload();
        switch (envelope.kind()) {
            case SYNC -> session.onSync(payload);
            case SNAPSHOT -> {
                if (payload.length == 0) {
                    session.onSnapshotRequest();
                } else {
                    session.onSnapshot(payload);
                }
            }
            case CHANGES -> session.onChanges(payload);
            case ACK -> session.onAck(payload);
            default -> host.rejected(from, "unexpected " + envelope.kind().wireName() + " envelope");
        }
    }

    /**
     * A batch of changes was made to the document (by this side, or merged from peers): each
     * peer gets it, pushed or in a sync message. Call once per batch, not per change: the
     * changes since the last flush are encoded at most once for all peers. <em>Not thread-safe</em>.
     */
    public void flush() {
        Heads heads = document.heads();
        boolean onlyInitial = heads.equals(document.initialHeads());
        Heads since = flushedHeads;
        byte[][] encoded = new byte[1][];
        Supplier<byte[]> changesSinceFlush = () -> {
            if (encoded[0] == null) {
                encoded[0] = document.changesSince(since);
            }
            return encoded[0];
        };
        for (PeerSession session : sessions.values()) {
            session.onFlush(heads, onlyInitial, changesSinceFlush);
        }
        flushedHeads = heads;
        if (snapshot != null && !heads.equals(snapshotHeads)) {
            snapshot = null;
        }
    }

    /**
     * The periodic resync tick (every {@code resyncInterval}): confirms pushes received, repairs
     * pushes unconfirmed for two ticks, retries sync with every peer not known to be in sync
     * (forgetting messages in flight that may have been lost), asks again for a snapshot not
     * received. <em>Not thread-safe</em>.
     */
    public void resync() {
        Heads heads = document.heads();
        boolean onlyInitial = heads.equals(document.initialHeads());
        for (PeerSession session : sessions.values()) {
            session.onTick(heads, onlyInitial);
        }
    }

    /**
     * <em>Not thread-safe</em>.
     *
     * @return per peer in the room, what it has acknowledged of the document
     */
    public List<PeerStatus> status() {
        Heads heads = document.heads();
        List<PeerStatus> status = new ArrayList<>(sessions.size());
        for (PeerSession session : sessions.values()) {
            status.add(session.status(heads));
        }
        return status;
    }

    /** Ends every session: cancels their timers and frees their sync states. <em>Not thread-safe</em>. */
    public void close() {
        for (PeerSession session : sessions.values()) {
            session.close();
        }
        sessions.clear();
        parked.clear();
        snapshot = null;
    }

    // ------------------------------------------------------------------ for the sessions and tests

    PeerSession session(PeerId peer) {
        return sessions.get(peer);
    }

    String documentId() {
        return documentId;
    }

    SyncDocument document() {
        return document;
    }

    SyncHost host() {
        return host;
    }

    Duration snapshotTimeout() {
        return snapshotTimeout;
    }

    Heads flushedHeads() {
        return flushedHeads;
    }

    /** @return the whole document, saved once per version however many peers need it */
    byte[] snapshot() {
        Heads heads = document.heads();
        if (snapshot == null || !heads.equals(snapshotHeads)) {
            snapshot = document.save();
            snapshotHeads = heads;
        }
        return snapshot;
    }

    boolean holdsOnlyInitialState() {
        return document.heads().equals(document.initialHeads());
    }
}
