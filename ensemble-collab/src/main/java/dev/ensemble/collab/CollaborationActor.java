package dev.ensemble.collab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.collab.peers.PeerEvents;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.storage.StorageException;
import dev.ensemble.collab.storage.StorageProblem;
import dev.ensemble.collab.storage.StoredDocument;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.Cancellable;
import dev.ensemble.transport.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.SyncState;
import org.automerge.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An actor whose state <em>is</em> an Automerge document, kept in sync with every peer of a
 * room. Readers see an immutable view of the document, decoded into the type given in the
 * {@link CollaborationSettings} (a record, say); the client cache and state listeners work as for
 * any actor.
 *
 * <pre>{@code
 * public record Settings(String title, int tempo, List<String> setlist) { }
 *
 * public interface RoomActions { void retitle(String title); void setTempo(int bpm); }
 *
 * public final class Room extends CollaborationActor<Settings> implements RoomActions {
 *     public Room() {
 *         super(CollaborationSettings.builder("room", Settings.class, new Settings("", 120, List.of()))
 *                 .peers(PEERS).build());
 *     }
 *     public void retitle(String title) { change(tx -> tx.put(DocPath.of("title"), title)); }
 *     public void setTempo(int bpm) { update(s -> new Settings(s.title(), bpm, s.setlist())); }
 * }
 * }</pre>
 *
 * <h2>Writing</h2>
 * Either {@link #change} with a {@link DocumentTransaction} (put, insert, delete, splice text,
 * increment counters, by {@link DocPath}), or {@link #update} with the new value: the framework
 * diffs it against the document and writes only what changed (text spliced, lists patched), so
 * concurrent edits by other peers survive. See {@code DocumentWriter}'s text rule: new strings
 * become collaborative text; {@link DocumentTransaction#putScalar} stores last-writer-wins strings.
 *
 * <h2>The published view</h2>
 * After a change, the view, the storage and the peers catch up once per batch of changes, in a
 * step queued right after the first change (so a burst of edits costs one decode, one append
 * and one sync round). Inside the actor, read {@link #view()}, which is always current;
 * {@code state()} and clients see the view as of the last such step.
 *
 * <h2>Sync</h2>
 * One Automerge sync state per peer, for this document only: every envelope names the document,
 * so any number of collaboration actors share one room. Sync runs when a peer joins, after each
 * local change (coalesced: one round for all changes made before the round runs), in reply to
 * every message until both sides are quiet, and every {@code resyncInterval} with a peer that is
 * not in sync, which recovers lost messages. A peer whose document holds only the initial state
 * asks for a compact snapshot first rather than the whole change history.
 *
 * <h2>Offline first</h2>
 * The document exists from the first turn: the initial state is written as one change by an
 * actor id derived from the document id, identical on every peer, so peers that start apart never
 * duplicate it. Local changes made before joining, or while apart, merge when peers meet.
 *
 * <h2>Confinement</h2>
 * The Automerge {@code Document} and its {@code SyncState}s are touched only inside this actor's
 * turns (they crash the JVM if used from two threads at once) and are freed when it stops or
 * restarts. Bad input from a peer is rejected with a {@link CollaborationEvents#SYNC_ERROR} event
 * naming the peer and the document; the document is unchanged by it.
 *
 * @param <S> the view type
 */
public abstract class CollaborationActor<S> extends Actor<S> {
    private static final Logger LOG = LoggerFactory.getLogger(CollaborationActor.class);
    private static final SecureRandom ACTOR_IDS = new SecureRandom();
    /**
     * How long a peer that holds history waits for a newcomer to speak first. A newcomer with
     * nothing asks for a snapshot; a first sync message sent meanwhile would carry a Bloom filter
     * of the whole history (325 KB for the automerge-paper document) that the snapshot makes
     * useless. If the other side says nothing, sync starts anyway.
     */
    private static final java.time.Duration INITIAL_SYNC_GRACE = java.time.Duration.ofMillis(250);
    /** Changes appended to storage before the log is compacted into a snapshot. */
    private static final int COMPACT_AFTER_CHANGES = 1000;
    /**
     * While a backlog is worked off, the published view may lag the document by this much, or by
     * {@link #VIEW_LAG_PER_DECODE} times the last decode's duration if that is longer, before it
     * is decoded anyway (never more than {@link #MAX_VIEW_LAG_NANOS}), so decoding costs at most
     * about 2 % of a busy actor's time. Automerge takes about 7 ms to read the 105,000-character
     * automerge-paper text; decoding after every batch of a long backlog cost more than the
     * actor's whole overhead on the edits.
     */
    private static final long MIN_VIEW_LAG_NANOS =
            java.time.Duration.ofMillis(100).toNanos();

    private static final int VIEW_LAG_PER_DECODE = 50;
    /** The most the view lags under a backlog, however slow one decode was (a GC pause, say). */
    private static final long MAX_VIEW_LAG_NANOS =
            java.time.Duration.ofSeconds(1).toNanos();

    static {
        AutomergeRuntime.ensureLoaded();
    }

    private final CollaborationSettings<S> settings;
    private final ObjectMapper mapper;

    // Turn-owned.
    private Document doc;
    private ChangeHash[] genesisHeads;
    private ChangeHash[] savedHeads;
    private long lastSequence;
    private int changesSinceCompaction;
    private boolean flushScheduled;
    /** Pushes remembered per peer until confirmed (at 150 ms a keystroke, a minute of typing). */
    private static final int MAX_UNCONFIRMED_PUSHES = 400;
    /** The heads at the end of the last flush: what every peer that has been pushed to holds. */
    private ChangeHash[] flushedHeads;
    /** The document changed since the view was last decoded and published. */
    private boolean viewDirty;
    /** When {@link #viewDirty} last became true ({@code System.nanoTime}). */
    private long viewDirtySince;
    /** How long the last decode of the view took, in nanoseconds. */
    private long lastDecodeNanos;
    /** A turn that publishes the view once the backlog is gone is queued. */
    private boolean viewRetryQueued;
    /** What the paths of {@link #change} edits resolve to; cleared whenever objects may have been replaced. */
    private final ResolvedPaths paths = new ResolvedPaths();

    private final Map<PeerId, Session> sessions = new HashMap<>();
    /** Encoded sync states of peers that left: a returning peer resumes cheaply. */
    private final Map<PeerId, byte[]> parkedSyncStates = new HashMap<>();

    /**
     * @param settings the document id, view type, initial state, peers and storage
     */
    protected CollaborationActor(CollaborationSettings<S> settings) {
        super(settings.initialState());
        this.settings = settings;
        this.mapper = settings.mapper();
    }

    /** @return the settings this actor was made with */
    protected final CollaborationSettings<S> settings() {
        return settings;
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Loads the document (from storage, or from the initial state) and joins the room.
     * Subclasses that override it must call {@code super.onStart()} first.
     */
    @Override
    protected void onStart() throws Exception {
        doc = openDocument();
        genesisHeads = genesisHeads();
        savedHeads = doc.getHeads();
        flushedHeads = savedHeads;
        publishView();
        if (settings.peers() != null) {
            reactToEvents(settings.peers(), PeerEvents.document(settings.documentId()), this::received);
            reactToEvents(settings.peers(), PeerEvents.PEER_JOINED, event -> peerJoined((PeerId) event.payload()));
            reactToEvents(settings.peers(), PeerEvents.PEER_LEFT, event -> peerLeft((PeerId) event.payload()));
            reactToEvents(
                    settings.peers(),
                    PeerEvents.TRANSPORT_CHANGED,
                    event -> transportChanged((PeerEvents.TransportChanged) event.payload()));
            for (PeerId peer : peers().state().peers()) {
                peerJoined(peer);
            }
            scheduleAtFixedRate(settings.resyncInterval(), settings.resyncInterval(), this::resync);
        }
    }

    /**
     * Frees the document and its sync states. Subclasses that override it must call
     * {@code super.onStop()}.
     */
    @Override
    protected void onStop() throws Exception {
        if (viewDirty && doc != null) {
            // A flush put off behind this stop, or queued after it, would be dropped with the
            // mailbox: the last published state must still show every change.
            publishView();
        }
        for (Session session : sessions.values()) {
            session.state.free();
        }
        sessions.clear();
        if (doc != null) {
            doc.free();
            doc = null;
        }
    }

    private Document openDocument() {
        if (settings.storage() != null) {
            try {
                StoredDocument stored = settings.storage().load(settings.documentId());
                for (StorageProblem problem : stored.problems()) {
                    LOG.warn("document {}: storage recovered with a problem: {}", settings.documentId(), problem);
                }
                lastSequence = stored.lastSequence();
                if (!stored.isEmpty()) {
                    Document loaded = stored.snapshot().map(Document::load).orElseGet(this::genesisDocument);
                    for (byte[] change : stored.changes()) {
                        loaded.applyEncodedChanges(change);
                    }
                    return withOwnActor(loaded);
                }
            } catch (StorageException e) {
                LOG.error(
                        "document {}: could not load from storage; starting from the initial state",
                        settings.documentId(),
                        e);
                emit(CollaborationEvents.SAVE_FAILED, e);
            }
        }
        return withOwnActor(genesisDocument());
    }

    /** The initial state, written as one change by an actor id derived from the document id. */
    private Document genesisDocument() {
        Document genesis = new Document(genesisActorId(settings.documentId()));
        JsonNode initial = mapper.valueToTree(settings.initialState());
        if (!(initial instanceof ObjectNode root)) {
            genesis.free();
            throw new IllegalArgumentException("the initial state of document \"" + settings.documentId()
                    + "\" must be an object (a record or a map), but is " + initial.getNodeType());
        }
        try (Transaction tx = genesis.startTransaction()) {
            DocumentWriter.diffMap(tx, ObjectId.ROOT, root);
            settings.genesis().accept(new DocumentTransaction(tx, mapper));
            tx.commit();
        }
        return genesis;
    }

    private ChangeHash[] genesisHeads() {
        Document genesis = genesisDocument();
        try {
            return genesis.getHeads();
        } finally {
            genesis.free();
        }
    }

    /** A fork with a random actor id: the genesis actor id must write nothing but the genesis change. */
    private static Document withOwnActor(Document document) {
        byte[] actor = new byte[16];
        ACTOR_IDS.nextBytes(actor);
        Document own = document.fork(actor);
        document.free();
        return own;
    }

    private static byte[] genesisActorId(String documentId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("ensemble-genesis:" + documentId).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    // ------------------------------------------------------------------ writing and reading

    /**
     * Edits the document in one Automerge change. <em>Not thread-safe</em>: the actor's turn only.
     * If {@code edit} throws, nothing of it is applied and the exception propagates (the action
     * fails alone).
     *
     * @param edit the operations
     */
    protected final void change(Consumer<DocumentTransaction> edit) {
        boolean committed;
        try (Transaction tx = doc.startTransaction()) {
            edit.accept(new DocumentTransaction(tx, mapper, paths));
            committed = tx.commit().isPresent();
        } catch (Throwable rolledBack) {
            // Paths resolved inside it may name objects that the rollback removed.
            paths.clear();
            throw rolledBack;
        }
        if (committed) {
            changed();
        }
    }

    /**
     * Replaces the view with a new value; only the differences become operations.
     * <em>Not thread-safe</em>: the actor's turn only.
     *
     * @param next the new value
     */
    protected final void update(S next) {
        JsonNode tree = mapper.valueToTree(next);
        if (!(tree instanceof ObjectNode root)) {
            throw new IllegalArgumentException(
                    "a document view must be an object, but the new value is " + tree.getNodeType());
        }
        boolean committed;
        paths.clear();
        try (Transaction tx = doc.startTransaction()) {
            DocumentWriter.diffMap(tx, ObjectId.ROOT, root);
            committed = tx.commit().isPresent();
        }
        if (committed) {
            changed();
        }
    }

    /**
     * Updates the view with a function of the current one. <em>Not thread-safe</em>.
     *
     * @param function from the current view to the new one
     */
    protected final void update(UnaryOperator<S> function) {
        update(function.apply(view()));
    }

    /**
     * <em>Not thread-safe</em>: the actor's turn only.
     *
     * @return the document's current version, to read back later with {@link #viewAt}
     */
    protected final DocumentVersion version() {
        return new DocumentVersion(doc.getHeads());
    }

    /**
     * Reads the document as it was at a version. <em>Not thread-safe</em>.
     *
     * @param version a version from {@link #version()}
     * @return the view then
     */
    protected final S viewAt(DocumentVersion version) {
        // A fork at those heads, read as it is now: automerge-java 0.0.7's reads "at heads" omit
        // counters that were incremented, so they cannot be used directly.
        Document then = doc.fork(version.heads());
        try {
            return decode(DocumentReader.readRoot(then, null));
        } finally {
            then.free();
        }
    }

    /**
     * What each peer of the room has acknowledged of this document. <em>Not thread-safe</em>.
     *
     * @return per peer in the room: in sync or not, the version it acknowledged, and the size of
     *     the changes it has not
     */
    protected final Map<PeerId, PeerSyncStatus> syncStatus() {
        Map<PeerId, PeerSyncStatus> status = new TreeMap<>();
        for (Map.Entry<PeerId, Session> entry : sessions.entrySet()) {
            Session session = entry.getValue();
            boolean inSync = !session.awaitingSnapshot && session.state.isInSync(doc);
            ChangeHash[] shared = SharedHeads.of(session.state);
            ChangeHash[] acknowledged = shared == null || shared.length == 0 ? genesisHeads : shared;
            int pending = inSync ? 0 : doc.encodeChangesSince(acknowledged).length;
            status.put(
                    entry.getKey(),
                    new PeerSyncStatus(entry.getKey(), inSync, new DocumentVersion(acknowledged), pending));
        }
        return status;
    }

    /**
     * The document as a tree, for tests and tools. <em>Not thread-safe</em>.
     *
     * @return the document's content
     */
    protected final ObjectNode documentTree() {
        return DocumentReader.readRoot(doc, null);
    }

    /**
     * The view of the document as it is now, including changes of this turn.
     * <em>Not thread-safe</em>: the actor's turn only.
     *
     * <p>Use this rather than {@code state()} inside the actor: decoding the whole document after
     * every change would cost as much as the document is large, so the published state (what
     * {@code state()} and clients see) is refreshed once per batch of changes, in a step queued
     * right after the first change of the batch; while more messages wait behind that step, it is
     * put off until they are done (for at most 100 ms, or 50 times the last decode's duration up
     * to 1 s).
     *
     * @return the current view
     */
    protected final S view() {
        if (viewDirty) {
            publishView();
        }
        return state();
    }

    /** A change, local or merged: the view, storage and peers catch up in the next flush. */
    private void changed() {
        if (!viewDirty) {
            viewDirty = true;
            viewDirtySince = System.nanoTime();
        }
        scheduleFlush();
    }

    /**
     * Publishes the view now, or, while more messages wait and the view is still fresh enough,
     * in a turn queued behind them: a backlog of edits then costs one decode at its end instead
     * of one per batch. The lag is checked in these turns and in flushes, so under a steady
     * backlog it can exceed its bound by one pass through the mailbox. {@link #view()} inside the
     * actor is always current regardless.
     */
    private void publishViewUnlessBacklogged() {
        long lag = System.nanoTime() - viewDirtySince;
        long allowed =
                Math.min(MAX_VIEW_LAG_NANOS, Math.max(MIN_VIEW_LAG_NANOS, VIEW_LAG_PER_DECODE * lastDecodeNanos));
        if (!messagesWaiting() || lag >= allowed) {
            publishView();
        } else if (!viewRetryQueued) {
            viewRetryQueued = true;
            mailboxExecutor().execute(() -> {
                viewRetryQueued = false;
                if (viewDirty) {
                    publishViewUnlessBacklogged();
                }
            });
        }
    }

    private void publishView() {
        viewDirty = false;
        long started = System.nanoTime();
        try {
            setState(decode(DocumentReader.readRoot(doc, null)));
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "document {}: its content does not fit {}; the view keeps its previous value",
                    settings.documentId(),
                    settings.viewType().getName(),
                    e);
            emit(CollaborationEvents.VIEW_ERROR, e);
        } finally {
            lastDecodeNanos = System.nanoTime() - started;
        }
    }

    private S decode(ObjectNode tree) {
        try {
            return mapper.treeToValue(tree, settings.viewType());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "document " + settings.documentId() + " cannot be read as "
                            + settings.viewType().getSimpleName() + ": " + e.getOriginalMessage(),
                    e);
        }
    }

    private void persist() {
        if (settings.storage() == null || Arrays.equals(savedHeads, doc.getHeads())) {
            return;
        }
        ChangeHash[] heads = doc.getHeads();
        byte[] changes = doc.encodeChangesSince(savedHeads);
        try {
            lastSequence = settings.storage().append(settings.documentId(), changes);
            savedHeads = heads;
            if (++changesSinceCompaction >= COMPACT_AFTER_CHANGES) {
                settings.storage().compact(settings.documentId(), doc.save(), lastSequence);
                changesSinceCompaction = 0;
            }
        } catch (StorageException e) {
            LOG.error("document {}: saving failed; it is retried with the next change", settings.documentId(), e);
            emit(CollaborationEvents.SAVE_FAILED, e);
        }
    }

    // ------------------------------------------------------------------ sync

    private ActorClient<PeerMessaging, dev.ensemble.collab.peers.Roster> peers() {
        return dependency(settings.peers());
    }

    private boolean holdsOnlyTheInitialState() {
        return Arrays.equals(doc.getHeads(), genesisHeads);
    }

    private void peerJoined(PeerId peer) {
        if (sessions.containsKey(peer)) {
            return;
        }
        byte[] parked = parkedSyncStates.remove(peer);
        Session session = new Session(parked != null ? SyncState.decode(parked) : new SyncState());
        sessions.put(peer, session);
        if (holdsOnlyTheInitialState() && parked == null) {
            session.awaitingSnapshot = true;
            requestSnapshot(peer);
            session.snapshotTimer = scheduleOnce(settings.snapshotTimeout(), () -> {
                if (session.awaitingSnapshot && sessions.get(peer) == session) {
                    LOG.debug(
                            "document {}: no snapshot from {}; syncing change by change", settings.documentId(), peer);
                    session.awaitingSnapshot = false;
                    sendSync(peer, session);
                }
            });
        } else if (parked != null) {
            sendSync(peer, session);
        } else {
            session.initialTimer = scheduleOnce(INITIAL_SYNC_GRACE, () -> {
                if (!session.heard && sessions.get(peer) == session) {
                    sendSync(peer, session);
                }
            });
        }
    }

    /** An empty snapshot envelope asks the peer for its whole document, compacted. */
    private void requestSnapshot(PeerId peer) {
        peers().actions().send(peer, Envelope.snapshot(settings.documentId(), new byte[0]));
    }

    /**
     * A peer moved from one transport to another (a WebRTC channel broke and the relay took over, or
     * back): what was in flight on the old one may be lost, so the exchange restarts at once instead
     * of at the next resync.
     */
    private void transportChanged(PeerEvents.TransportChanged change) {
        Session session = sessions.get(change.peer());
        if (change.from() == null || change.to() == null || session == null || session.awaitingSnapshot) {
            return;
        }
        session.peerHas = null;
        session.forgetInFlight();
        sendSync(change.peer(), session);
    }

    /**
     * A peer confirms it holds these heads. Taken as shared only when they are heads this side
     * pushed the peer to since the last confirmation (anything else is left to the repair round,
     * see {@link #resync}).
     */
    private void receiveAck(PeerId from, Session session, byte[] payload) {
        ChangeHash[] heads = SharedHeads.decode(payload);
        if (heads == null) {
            rejected(from, "an ack of " + payload.length + " bytes that is not a list of change hashes");
            return;
        }
        if (!session.confirmPushed(heads)) {
            LOG.debug(
                    "document {}: an ack from {} for heads this side did not push it to; ignored",
                    settings.documentId(),
                    from);
            return;
        }
        session.resetTo(heads);
        session.unconfirmed = !session.unconfirmedPushes.isEmpty();
        session.unconfirmedTicks = 0;
    }

    private void peerLeft(PeerId peer) {
        Session session = sessions.remove(peer);
        if (session != null) {
            parkedSyncStates.put(peer, session.state.encode());
            session.close();
        }
    }

    private void received(ActorEvent event) {
        PeerEvents.Received received = (PeerEvents.Received) event.payload();
        PeerId from = received.from();
        Envelope envelope = received.envelope();
        Session session = sessions.get(from);
        if (session == null) {
            peerJoined(from);
            session = sessions.get(from);
        }
        session.heard = true;
        switch (envelope.kind()) {
            case SYNC -> receiveSync(from, session, envelope.payload());
            case SNAPSHOT -> receiveSnapshot(from, session, envelope.payload());
            case CHANGES -> receiveChanges(from, session, envelope.payload());
            case ACK -> receiveAck(from, session, envelope.payload());
            default -> rejected(from, "unexpected " + envelope.kind().wireName() + " envelope");
        }
    }

    private void receiveSync(PeerId from, Session session, byte[] message) {
        if (session.awaitingSnapshot) {
            if (holdsOnlyTheInitialState()) {
                return;
            }
            session.awaitingSnapshot = false;
            session.cancelTimer();
        }
        ChangeHash[] before = doc.getHeads();
        paths.clear();
        try {
            doc.receiveSyncMessage(session.state, message);
        } catch (RuntimeException e) {
            rejected(from, "Automerge rejected a sync message of " + message.length + " bytes: " + e.getMessage());
            session.reset();
            if (!Arrays.equals(before, doc.getHeads())) {
                // Part of it may have been applied before the failure: the view and the peers catch up.
                changed();
            }
            return;
        }
        if (!Arrays.equals(before, doc.getHeads())) {
            changed();
            emit(CollaborationEvents.MERGED, from);
        }
        session.unconfirmed = false;
        if (session.state.isInSync(doc)) {
            session.peerHas = doc.getHeads();
            session.unconfirmedPushes.clear();
        } else {
            session.peerHas = null;
        }
        sendSync(from, session);
    }

    /**
     * Changes a peer pushed. If both sides held the same heads before (this side had nothing
     * unflushed, and the sender pushed from the heads it knew this side to hold), both now hold the
     * result: take it as shared and send nothing back now; the next resync confirms. A push that brings nothing new (a duplicate,
     * or one whose dependency was lost, which Automerge holds back) starts a sync round, which
     * fetches what is missing.
     */
    private void receiveChanges(PeerId from, Session session, byte[] changes) {
        if (session.awaitingSnapshot) {
            return;
        }
        ChangeHash[] before = doc.getHeads();
        paths.clear();
        try {
            doc.applyEncodedChanges(changes);
        } catch (RuntimeException e) {
            rejected(from, "Automerge rejected " + changes.length + " bytes of pushed changes: " + e.getMessage());
            if (!Arrays.equals(before, doc.getHeads())) {
                changed();
            }
            session.peerHas = null;
            session.forgetInFlight();
            sendSync(from, session);
            return;
        }
        ChangeHash[] after = doc.getHeads();
        if (Arrays.equals(before, after)) {
            session.peerHas = null;
            session.forgetInFlight();
            sendSync(from, session);
            return;
        }
        if (!flushScheduled && Arrays.equals(before, flushedHeads) && Arrays.equals(session.peerHas, before)) {
            // Both held `before`, the sender pushed all it had since: both hold `after` now.
            session.resetTo(after);
            session.peerHas = after;
        } else {
            session.peerHas = null;
        }
        session.confirmDue = true;
        changed();
        emit(CollaborationEvents.MERGED, from);
    }

    private void receiveSnapshot(PeerId from, Session session, byte[] payload) {
        if (payload.length == 0) {
            peers().actions().send(from, Envelope.snapshot(settings.documentId(), doc.save()));
            // After the snapshot the peer holds everything we hold: start from there, so the next
            // sync message carries our heads, not a filter of the whole history.
            session.resetTo(doc.getHeads());
            return;
        }
        Document snapshot;
        try {
            snapshot = Document.load(payload);
        } catch (RuntimeException e) {
            rejected(from, "Automerge could not load a snapshot of " + payload.length + " bytes: " + e.getMessage());
            return;
        }
        ChangeHash[] before = doc.getHeads();
        ChangeHash[] snapshotHeads = snapshot.getHeads();
        paths.clear();
        try {
            if (holdsOnlyTheInitialState()) {
                // Nothing of ours to keep but the initial change, which the snapshot holds too:
                // adopting it costs a load, where merging would apply its whole history again.
                Document adopted = snapshot.fork(doc.getActorId());
                doc.free();
                doc = adopted;
            } else {
                doc.merge(snapshot);
            }
        } catch (RuntimeException e) {
            rejected(from, "Automerge could not merge a snapshot: " + e.getMessage());
            return;
        } finally {
            snapshot.free();
        }
        session.awaitingSnapshot = false;
        session.cancelTimer();
        session.resetTo(snapshotHeads);
        if (!Arrays.equals(before, doc.getHeads())) {
            changed();
            emit(CollaborationEvents.MERGED, from);
        }
        sendSync(from, session);
    }

    private void rejected(PeerId from, String problem) {
        String message = "document " + settings.documentId() + ": dropped input from " + from + ": " + problem;
        LOG.warn("{}", message);
        emit(
                CollaborationEvents.SYNC_ERROR,
                new CollaborationEvents.SyncError(from.toString(), settings.documentId(), message));
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            mailboxExecutor().execute(this::flush);
        }
    }

    /** Publishes the view, saves and syncs once for all the changes made since the last flush. */
    private void flush() {
        flushScheduled = false;
        if (viewDirty) {
            publishViewUnlessBacklogged();
        }
        persist();
        boolean onlyInitial = holdsOnlyTheInitialState();
        ChangeHash[] heads = doc.getHeads();
        byte[][] pushed = new byte[1][];
        for (Map.Entry<PeerId, Session> entry : sessions.entrySet()) {
            Session session = entry.getValue();
            if (session.awaitingSnapshot && !onlyInitial) {
                session.awaitingSnapshot = false;
                session.cancelTimer();
            }
            if (!session.awaitingSnapshot) {
                pushOrSync(entry.getKey(), session, heads, pushed);
            }
        }
        flushedHeads = heads;
    }

    /**
     * The steady state costs one message per batch of changes: a peer believed to hold exactly what
     * this side held at the last flush gets just the new changes, applied without a reply. The
     * receiver confirms once per resync interval with one {@code ack} of its heads for all the
     * pushes in it; without that confirmation by the second interval, a normal sync round repairs
     * whatever was lost. Any other peer gets a normal sync round at once.
     */
    private void pushOrSync(PeerId peer, Session session, ChangeHash[] heads, byte[][] pushed) {
        if (Arrays.equals(session.peerHas, heads)) {
            return;
        }
        if (session.peerHas != null && Arrays.equals(session.peerHas, flushedHeads)) {
            if (pushed[0] == null) {
                pushed[0] = doc.encodeChangesSince(flushedHeads);
            }
            peers().actions().send(peer, Envelope.changes(settings.documentId(), pushed[0]));
            // The sync state keeps what the peer acknowledged (syncStatus() reports it); only the
            // decision to push again relies on the peer having received this.
            session.peerHas = heads;
            session.pushed(heads);
            if (!session.unconfirmed) {
                session.unconfirmed = true;
                session.unconfirmedTicks = 0;
            }
            return;
        }
        sendSync(peer, session);
    }

    /**
     * Retries sync with every peer not known to be in sync, forgetting messages in flight that
     * may have been lost. Runs every {@code resyncInterval}; call it to recover sooner.
     * <em>Not thread-safe</em>: the actor's turn only.
     */
    protected final void resync() {
        for (Map.Entry<PeerId, Session> entry : sessions.entrySet()) {
            Session session = entry.getValue();
            if (session.confirmDue) {
                // One small message acknowledges every push received since the last one: the heads,
                // when the peer is known to hold exactly them too, else a sync round.
                session.confirmDue = false;
                ChangeHash[] heads = doc.getHeads();
                if (SharedHeads.same(session.peerHas, heads)) {
                    peers().actions()
                            .send(entry.getKey(), Envelope.ack(settings.documentId(), SharedHeads.encode(heads)));
                } else {
                    session.forgetInFlight();
                    sendSync(entry.getKey(), session);
                }
                continue;
            }
            if (session.unconfirmed && ++session.unconfirmedTicks < 2) {
                continue;
            }
            session.unconfirmed = false;
            if (session.awaitingSnapshot && holdsOnlyTheInitialState()) {
                requestSnapshot(entry.getKey());
            } else if (session.awaitingSnapshot || !session.state.isInSync(doc)) {
                session.awaitingSnapshot = false;
                session.forgetInFlight();
                sendSync(entry.getKey(), session);
            }
        }
    }

    private void sendSync(PeerId peer, Session session) {
        doc.generateSyncMessage(session.state).ifPresent(message -> {
            // It carries this side's heads: that confirms any push received.
            session.confirmDue = false;
            peers().actions().send(peer, Envelope.sync(settings.documentId(), message));
        });
    }

    /** Turn-owned sync state with one peer. */
    private static final class Session {
        SyncState state;
        boolean awaitingSnapshot;
        /** Anything arrived from the peer for this document. */
        boolean heard;
        /** The heads the peer is known to hold, or null when unknown (then only a sync round is used). */
        ChangeHash[] peerHas;
        /** Changes were pushed to the peer since it last sent a sync message. */
        boolean unconfirmed;
        /** Resync ticks since {@link #unconfirmed} was set: the peer confirms within one. */
        int unconfirmedTicks;
        /** Pushed changes arrived from the peer since this side last sent it a sync message. */
        boolean confirmDue;
        /** The heads after each push not yet confirmed, oldest first (bounded: the oldest go first). */
        final ArrayDeque<ChangeHash[]> unconfirmedPushes = new ArrayDeque<>();

        void pushed(ChangeHash[] heads) {
            if (unconfirmedPushes.size() == MAX_UNCONFIRMED_PUSHES) {
                unconfirmedPushes.pollFirst();
            }
            unconfirmedPushes.addLast(heads);
        }

        /** Drops the pushes up to the one that led to {@code heads}; false if there was none. */
        boolean confirmPushed(ChangeHash[] heads) {
            if (unconfirmedPushes.stream().noneMatch(pushed -> SharedHeads.same(pushed, heads))) {
                return false;
            }
            ChangeHash[] oldest;
            do {
                oldest = unconfirmedPushes.pollFirst();
            } while (!SharedHeads.same(oldest, heads));
            return true;
        }

        Cancellable snapshotTimer;
        Cancellable initialTimer;

        Session(SyncState state) {
            this.state = state;
        }

        /** Starts sync over, as after a rejected message. */
        void reset() {
            peerHas = null;
            unconfirmedPushes.clear();
            state.free();
            state = new SyncState();
        }

        /** Starts sync over from heads both sides are known to share, as after a snapshot. */
        void resetTo(ChangeHash[] shared) {
            state.free();
            state = SyncState.decode(SharedHeads.encode(shared));
        }

        /** Keeps what both sides share, drops what was in flight (encode keeps only the shared heads). */
        void forgetInFlight() {
            byte[] shared = state.encode();
            state.free();
            state = SyncState.decode(shared);
        }

        void cancelTimer() {
            if (snapshotTimer != null) {
                snapshotTimer.cancel();
            }
            if (initialTimer != null) {
                initialTimer.cancel();
            }
        }

        void close() {
            cancelTimer();
            state.free();
        }
    }
}
