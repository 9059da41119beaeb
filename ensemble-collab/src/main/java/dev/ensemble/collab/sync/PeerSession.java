package dev.ensemble.collab.sync;

import dev.ensemble.collab.sync.Phase.AwaitingSnapshot;
import dev.ensemble.collab.sync.Phase.Grace;
import dev.ensemble.collab.sync.Phase.InSync;
import dev.ensemble.collab.sync.Phase.Pushing;
import dev.ensemble.collab.view.ChangeChain;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.core.Cancellable;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync of one document with one peer: its Automerge sync state, its {@link Phase} (how this
 * side's changes reach the peer) and whether this side owes the peer a confirmation of its pushed
 * changes. Every transition of the state machine drawn in {@link SyncEngine} is a method here,
 * named after the event that causes it.
 *
 * <p>Turn-owned: created, driven and closed by its {@link SyncEngine} on the owner's thread.
 */
final class PeerSession {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSession.class);
    /** Resync ticks a push may stay unconfirmed before a sync round repairs: the peer confirms within one. */
    static final int OVERDUE_TICKS = 2;

    private final SyncEngine engine;
    private final SyncDocument document;
    private final SyncHost host;
    private final PeerId peer;
    private SyncDocument.PeerState state;
    private Phase phase;
    /**
     * The other direction: the peer pushed changes that arrived here, and this side has not told
     * it its heads since. The next resync tick confirms them all with one {@code ack}.
     */
    private boolean confirmDue;

    private PeerSession(SyncEngine engine, PeerId peer, SyncDocument.PeerState state) {
        this.engine = engine;
        this.document = engine.document();
        this.host = engine.host();
        this.peer = peer;
        this.state = state;
    }

    /**
     * Opens the session with a peer that just joined.
     *
     * @param parked the heads shared with the peer when it last left, or null if it never did
     */
    static PeerSession open(SyncEngine engine, PeerId peer, Heads parked) {
        SyncDocument document = engine.document();
        PeerSession session = new PeerSession(
                engine, peer, parked != null ? document.peerStateSharing(parked) : document.newPeerState());
        if (parked == null && engine.holdsOnlyInitialState()) {
            session.requestSnapshot();
            session.phase = new AwaitingSnapshot(session.arm(engine.snapshotTimeout(), session::snapshotTimedOut));
        } else if (parked != null) {
            session.phase = Phase.SYNCING;
            session.sendSync();
        } else {
            session.phase = new Grace(session.arm(SyncEngine.INITIAL_SYNC_GRACE, session::graceEnded));
        }
        return session;
    }

    Phase phase() {
        return phase;
    }

    boolean confirmDue() {
        return confirmDue;
    }

    // ------------------------------------------------------------------ input from the peer

    /** Anything arrived from the peer: a newcomer spoke, so the grace is over. */
    void heard() {
        if (phase instanceof Grace) {
            moveTo(Phase.SYNCING);
        }
    }

    /**
     * A sync message: applied, and answered with Automerge's next message. Two answers are added
     * where Automerge, which assumes a reliable stream, would leave a lossy exchange stuck: all
     * the changes a peer lacks when it asks for their ancestors one by one, and a fresh message
     * when Automerge stays silent towards a peer that does not know both are in sync.
     */
    void onSync(byte[] message) {
        if (phase instanceof AwaitingSnapshot) {
            if (engine.holdsOnlyInitialState()) {
                LOG.debug(
                        "document {}: ignored a sync message from {}: a snapshot was asked for",
                        engine.documentId(),
                        peer);
                return;
            }
            moveTo(Phase.SYNCING);
        }
        Heads before = document.heads();
        SyncMessageHeader header = SyncMessageHeader.read(message);
        try {
            document.receiveSyncMessage(state, message);
        } catch (RejectedInputException e) {
            host.rejected(peer, e.getMessage() + "; sync with this peer starts over");
            replaceState(document.newPeerState());
            moveTo(Phase.SYNCING);
            if (!before.equals(document.heads())) {
                // Part of it may have been applied before the failure: the view and the peers catch up.
                host.changed();
            }
            return;
        }
        Heads after = document.heads();
        if (!before.equals(after)) {
            host.changed();
            host.merged(peer);
        }
        boolean inSync = inSync(after);
        moveTo(inSync ? new InSync(after) : Phase.SYNCING);
        if (header != null && header.asksByHashOnly() && state.sharedHeads().equals(header.heads())) {
            // The peer holds changes whose ancestors it lacks (a push built on a lost one), so
            // Automerge answers with the changes it names and no more: each answer would reveal
            // the next missing ancestor, one round trip per change. This side holds all the
            // peer's heads, so it knows exactly what the peer lacks: send it all at once. But
            // only if that includes a change the peer asks for: else this side lacks those
            // ancestors too (a third peer's), and the peer holds, held back, the changes it would
            // get. It would apply nothing, sync again with the same question and get the same
            // answer, round trip after round trip until the ancestors arrive from elsewhere.
            byte[] missing = document.changesSince(header.heads());
            if (missing.length > 0 && carriesAnyOf(missing, header.need())) {
                sendCatchUp(missing);
            }
        }
        if (!sendSync() && inSync && peerDoesNotKnow(header, after)) {
            // Automerge says nothing when both hold the same heads: it assumes the peer heard this
            // side's last answer, which told it so. On a lossy network that answer may be lost,
            // and the peer's retries (this message) would go unanswered for as long as nobody
            // edits, its status stuck at "not in sync". Answer afresh: the message carries the
            // heads, and the peer takes them as shared.
            forgetInFlight();
            sendSync();
        }
    }

    /**
     * Whether a sync message shows that its sender holds exactly {@code heads} without knowing
     * that this side does: its heads are these, but the heads it believes both share are not.
     */
    private static boolean peerDoesNotKnow(SyncMessageHeader header, Heads heads) {
        return header != null
                && header.heads().equals(heads)
                && header.lastSync() != null
                && !header.lastSync().equals(heads);
    }

    /**
     * Changes the peer pushed. If both sides held the same heads before (this side had nothing
     * unflushed, and the peer pushed from the heads it knew this side to hold), both now hold the
     * result: take it as shared and send nothing back now; the next resync tick confirms. A push
     * that brings nothing new (a duplicate, or one whose dependency was lost, which Automerge
     * holds back) starts a sync round, which fetches what is missing.
     */
    void onChanges(byte[] changes) {
        if (phase instanceof AwaitingSnapshot) {
            LOG.debug("document {}: ignored changes from {}: a snapshot was asked for", engine.documentId(), peer);
            return;
        }
        Heads before = document.heads();
        try {
            document.applyChanges(changes);
        } catch (RejectedInputException e) {
            host.rejected(peer, e.getMessage());
            if (!before.equals(document.heads())) {
                host.changed();
            }
            startSyncRound();
            return;
        }
        Heads after = document.heads();
        if (before.equals(after)) {
            startSyncRound();
            return;
        }
        Heads peerHas = peerHas();
        if (before.equals(engine.flushedHeads()) && before.equals(peerHas)) {
            replaceState(document.peerStateSharing(after));
            moveTo(withPeerHas(after));
        } else {
            moveTo(Phase.SYNCING);
        }
        confirmDue = true;
        host.changed();
        host.merged(peer);
    }

    /** The peer's whole document, asked for by this side or sent because this side was far behind. */
    void onSnapshot(byte[] saved) {
        Heads before = document.heads();
        Heads snapshotHeads;
        try {
            snapshotHeads = document.mergeSnapshot(saved);
        } catch (RejectedInputException e) {
            host.rejected(peer, e.getMessage());
            return;
        }
        if (phase instanceof AwaitingSnapshot) {
            moveTo(Phase.SYNCING);
        }
        // Both hold the snapshot now: the next sync message carries heads, not a filter of the whole history.
        replaceState(document.peerStateSharing(snapshotHeads));
        if (!before.equals(document.heads())) {
            host.changed();
            host.merged(peer);
        }
        sendSync();
    }

    /** The peer holds only the initial change and asks for this side's whole document. */
    void onSnapshotRequest() {
        host.send(peer, Envelope.snapshot(engine.documentId(), engine.snapshot()));
        // After the snapshot the peer holds everything this side holds: start from there, so the
        // next sync message carries these heads, not a filter of the whole history.
        replaceState(document.peerStateSharing(document.heads()));
    }

    /**
     * The peer confirms it holds these heads. Taken as shared only when they are heads this side
     * pushed the peer to since the last confirmation; anything else is left to the repair round.
     */
    void onAck(byte[] payload) {
        Heads heads = Heads.decode(payload);
        if (heads == null) {
            host.rejected(
                    peer,
                    "an ack must carry heads (0x43, a LEB128 count, then 32-byte change hashes), but its "
                            + RejectedInputException.describe(payload) + " do not");
            return;
        }
        PushLog pushes = pushes();
        if (pushes == null || !pushes.confirm(heads)) {
            LOG.debug(
                    "document {}: an ack from {} for heads this side did not push it to; ignored",
                    engine.documentId(),
                    peer);
            return;
        }
        replaceState(document.peerStateSharing(heads));
        Heads peerHas = peerHas();
        moveTo(pushes.isEmpty() ? new InSync(peerHas) : new Pushing(peerHas, pushes, 0));
    }

    // ------------------------------------------------------------------ events of this side

    /**
     * A batch of changes was made (locally or merged from anyone). The steady state costs one
     * message: a peer believed to hold exactly what this side held at the last flush gets just
     * the new changes; any other peer gets a sync message.
     *
     * @param heads the heads now
     * @param onlyInitial whether the document still holds only the initial change
     * @param changesSinceFlush the changes since the last flush, encoded once for all peers
     */
    void onFlush(Heads heads, boolean onlyInitial, Supplier<byte[]> changesSinceFlush) {
        if (phase instanceof AwaitingSnapshot) {
            if (onlyInitial) {
                return;
            }
            moveTo(Phase.SYNCING);
        } else if (phase instanceof Grace) {
            moveTo(Phase.SYNCING);
        }
        Heads peerHas = peerHas();
        if (heads.equals(peerHas)) {
            return;
        }
        if (peerHas != null && peerHas.equals(engine.flushedHeads())) {
            host.send(peer, Envelope.changes(engine.documentId(), changesSinceFlush.get()));
            // The sync state keeps what the peer acknowledged (the status reports it); only the
            // decision to push again relies on the peer having received this.
            PushLog pushes = pushes() != null ? pushes() : new PushLog();
            pushes.add(heads);
            moveTo(new Pushing(heads, pushes, phase instanceof Pushing pushing ? pushing.ticks() : 0));
            return;
        }
        sendSync();
    }

    /**
     * The periodic resync tick: confirm what the peer pushed, repair pushes overdue, retry a
     * sync round with a peer not known to be in sync (forgetting what was in flight, which may
     * have been lost), ask again for a snapshot not received.
     */
    void onTick(Heads heads, boolean onlyInitial) {
        if (confirmDue) {
            // One small message acknowledges every push received since the last one: the heads,
            // when the peer is known to hold exactly them too, else a sync round.
            confirmDue = false;
            if (heads.equals(peerHas())) {
                host.send(peer, Envelope.ack(engine.documentId(), heads.encode()));
            } else {
                forgetInFlight();
                sendSync();
            }
            return;
        }
        if (phase instanceof Pushing pushing) {
            if (pushing.ticks() + 1 < OVERDUE_TICKS) {
                moveTo(new Pushing(pushing.peerHas(), pushing.pushes(), pushing.ticks() + 1));
                return;
            }
            // Overdue: some push may be lost, and pushing on top of it would hand the peer changes
            // whose ancestors it lacks. Sync rounds take over until one leaves both in sync.
            LOG.debug(
                    "document {}: {} pushes to {} unconfirmed for {} ticks; syncing",
                    engine.documentId(),
                    pushing.pushes().size(),
                    peer,
                    OVERDUE_TICKS);
            moveTo(Phase.SYNCING);
        }
        if (phase instanceof AwaitingSnapshot) {
            if (onlyInitial) {
                requestSnapshot();
                return;
            }
            moveTo(Phase.SYNCING);
            forgetInFlight();
            sendSync();
        } else if (!inSync(heads)) {
            if (phase instanceof Grace) {
                moveTo(Phase.SYNCING);
            }
            forgetInFlight();
            sendSync();
        }
    }

    /**
     * The peer moved to another transport (a WebRTC channel broke and the relay took over, or
     * back): what was in flight on the old one may be lost, so the exchange restarts at once
     * instead of at the next tick.
     */
    void onTransportChanged() {
        if (phase instanceof AwaitingSnapshot) {
            return;
        }
        startSyncRound();
    }

    private void snapshotTimedOut(Cancellable timer) {
        if (phase instanceof AwaitingSnapshot awaiting && awaiting.timeout() == timer) {
            LOG.debug(
                    "document {}: no snapshot from {} within {}; syncing change by change",
                    engine.documentId(),
                    peer,
                    engine.snapshotTimeout());
            moveTo(Phase.SYNCING);
            sendSync();
        }
    }

    private void graceEnded(Cancellable timer) {
        if (phase instanceof Grace grace && grace.timer() == timer) {
            moveTo(Phase.SYNCING);
            sendSync();
        }
    }

    // ------------------------------------------------------------------ reports and the end

    /** @return what the peer has acknowledged of this document */
    PeerStatus status(Heads heads) {
        Heads shared = state.sharedHeads();
        boolean inSync = !(phase instanceof AwaitingSnapshot) && shared.equals(heads);
        Heads acknowledged = shared.isEmpty() ? document.initialHeads() : shared;
        int pending = inSync ? 0 : document.changesSince(acknowledged).length;
        return new PeerStatus(peer, inSync, acknowledged, pending);
    }

    /** @return the heads both sides share, to resume from when the peer returns */
    Heads park() {
        return state.sharedHeads();
    }

    /** Cancels the timers and frees the sync state. */
    void close() {
        moveTo(Phase.SYNCING);
        state.free();
    }

    // ------------------------------------------------------------------ the machine's parts

    /**
     * The one place where the phase changes: leaving a phase cancels its timer. Data of the
     * new phase travels in it (see {@link Phase}).
     */
    private void moveTo(Phase next) {
        if (next == phase) {
            return;
        }
        if (phase instanceof AwaitingSnapshot awaiting) {
            awaiting.timeout().cancel();
        } else if (phase instanceof Grace grace) {
            grace.timer().cancel();
        }
        if (LOG.isTraceEnabled() && (phase == null || phase.getClass() != next.getClass())) {
            LOG.trace("document {}: peer {}: {} -> {}", engine.documentId(), peer, phase, next);
        }
        phase = next;
    }

    /** Sync from scratch with what is shared, as after a loss or when the peer's heads are unknown. */
    private void startSyncRound() {
        moveTo(Phase.SYNCING);
        forgetInFlight();
        sendSync();
    }

    /** @return whether Automerge had something to say */
    private boolean sendSync() {
        Optional<byte[]> message = document.generateSyncMessage(state);
        if (message.isEmpty()) {
            return false;
        }
        // It carries this side's heads: that confirms any push received.
        confirmDue = false;
        byte[] bytes = message.get();
        SyncMessageHeader header =
                bytes.length > SyncEngine.LARGE_CATCH_UP_BYTES ? SyncMessageHeader.read(bytes) : null;
        if (header != null && sendAsSnapshot(header.changesBytes(), "sync message")) {
            // The snapshot carries the changes; the rest says what this side holds and asks for.
            host.send(peer, Envelope.sync(engine.documentId(), header.withoutChanges(bytes)));
        } else {
            host.send(peer, Envelope.sync(engine.documentId(), bytes));
        }
        return true;
    }

    /** @return whether {@code changes} include one of {@code wanted}; if they cannot be read, assume so */
    private static boolean carriesAnyOf(byte[] changes, Heads wanted) {
        ChangeChain chain = ChangeChain.ofChanges(changes);
        return chain == null || chain.containsAny(wanted.hashes());
    }

    /** Sends changes the peer lacks, as they are or as a snapshot (see {@link #sendAsSnapshot}). */
    private void sendCatchUp(byte[] changes) {
        if (!sendAsSnapshot(changes.length, "catch-up")) {
            host.send(peer, Envelope.changes(engine.documentId(), changes));
        }
    }

    /**
     * Sends the whole document instead of {@code changesBytes} of changes, if that is much smaller.
     * A catch-up of many changes (after a partition, or for a peer that was away) travels as many
     * chunks, and losing any one of them loses it all until the next try; the compact snapshot
     * (Automerge's columnar save: the changes of one author typing compress to a few bytes each)
     * is a small fraction of it and is applied whole.
     *
     * @return whether the snapshot was sent
     */
    private boolean sendAsSnapshot(int changesBytes, String what) {
        if (changesBytes <= SyncEngine.LARGE_CATCH_UP_BYTES) {
            return false;
        }
        byte[] snapshot = engine.snapshot();
        if ((long) snapshot.length * SyncEngine.SNAPSHOT_ADVANTAGE > changesBytes) {
            return false;
        }
        LOG.debug(
                "document {}: the {} bytes of changes of a {} for {} go as a snapshot of {} bytes",
                engine.documentId(),
                changesBytes,
                what,
                peer,
                snapshot.length);
        host.send(peer, Envelope.snapshot(engine.documentId(), snapshot));
        return true;
    }

    /** An empty snapshot envelope asks the peer for its whole document, compacted. */
    private void requestSnapshot() {
        host.send(peer, Envelope.snapshot(engine.documentId(), new byte[0]));
    }

    /** Keeps what both sides share, drops what was in flight (a persisted state keeps only the shared heads). */
    private void forgetInFlight() {
        replaceState(document.peerStateSharing(state.sharedHeads()));
    }

    private void replaceState(SyncDocument.PeerState next) {
        state.free();
        state = next;
    }

    private boolean inSync(Heads heads) {
        return state.sharedHeads().equals(heads);
    }

    /** @return the heads the peer is believed to hold, or null if that is not known */
    private Heads peerHas() {
        if (phase instanceof InSync inSync) {
            return inSync.peerHas();
        } else if (phase instanceof Pushing pushing) {
            return pushing.peerHas();
        }
        return null;
    }

    /** @return the unconfirmed pushes, or null in a phase without any */
    private PushLog pushes() {
        return phase instanceof Pushing pushing ? pushing.pushes() : null;
    }

    /** The same phase, with the peer now known to hold {@code heads}. */
    private Phase withPeerHas(Heads heads) {
        if (phase instanceof Pushing pushing) {
            return new Pushing(heads, pushing.pushes(), pushing.ticks());
        }
        return new InSync(heads);
    }

    private Cancellable arm(Duration delay, Consumer<Cancellable> onFire) {
        Cancellable[] timer = new Cancellable[1];
        timer[0] = host.schedule(delay, () -> onFire.accept(timer[0]));
        return timer[0];
    }
}
