package dev.ensemble.collab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.collab.peers.PeerEvents;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.repo.DocumentId;
import dev.ensemble.collab.repo.PeerMetadata;
import dev.ensemble.collab.repo.RepoConnection;
import dev.ensemble.collab.repo.RepoConnectionState;
import dev.ensemble.collab.repo.RepoEvents;
import dev.ensemble.collab.repo.RepoMessage;
import dev.ensemble.collab.repo.RepoSharing;
import dev.ensemble.collab.storage.StorageException;
import dev.ensemble.collab.sync.PeerStatus;
import dev.ensemble.collab.sync.SyncEngine;
import dev.ensemble.collab.sync.SyncHost;
import dev.ensemble.collab.view.TypedView;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.Cancellable;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.automerge.ChangeHash;
import org.automerge.Document;
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
 * step queued right after the first change (so a burst of edits costs one publication, one append
 * and one sync round). Inside the actor, read {@link #view()}, which is always current;
 * {@code state()} and clients see the view as of the last such step. A publication costs the
 * changes since the last one, not the document: the view is kept current from local edits and
 * from peers' patches, and read whole only at start, after a snapshot and after concurrent
 * changes (see docs/COLLABORATION.md, "How the view is maintained"). Declare long texts as
 * {@link dev.ensemble.collab.view.Text} to publish them without a copy.
 *
 * <h2>Sync</h2>
 * One Automerge sync state per peer, for this document only: every envelope names the document,
 * so any number of collaboration actors share one room. Sync runs when a peer joins, after each
 * local change (coalesced: one round for all changes made before the round runs), in reply to
 * every message until both sides are quiet, and every {@code resyncInterval} with a peer that is
 * not in sync, which recovers lost messages. A peer whose document holds only the initial state
 * asks for a compact snapshot first rather than the whole change history. The protocol is the
 * state machine of {@code dev.ensemble.collab.sync.SyncEngine}, which this actor owns and feeds.
 *
 * <h2>automerge-repo</h2>
 * With a {@link RepoSharing} in its settings, the document is an automerge-repo document whose id
 * is the document id, synced with an automerge-repo sync server through a {@link RepoConnection}
 * actor: created from the initial state, or found (starting empty, so that nothing of ours mixes
 * into it; {@link CollaborationEvents#UNAVAILABLE} if the server does not have it). See
 * docs/COLLABORATION.md, "Opening automerge: URLs". With peers as well, the actor syncs the one
 * document both ways: what the room's peers send reaches the server in the next round, and what
 * the server's clients send reaches the room, so a room whose document id is an automerge-repo id
 * shares that document with JavaScript apps (docs/AUTOMERGE-REPO.md, "A Java room and
 * automerge-repo clients").
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
    /**
     * While a backlog is worked off, the published view may lag the document by this much, or by
     * {@link #VIEW_LAG_PER_DECODE} times the last decode's duration if that is longer, before it
     * is decoded anyway (never more than {@link #MAX_VIEW_LAG_NANOS}), so decoding costs at most
     * about 2 % of a busy actor's time. Automerge takes about 7 ms to read the 105,000-character
     * automerge-paper text; decoding after every batch of a long backlog cost more than the
     * actor's whole overhead on the edits. Publications are now incremental and cheap, and a full
     * decode happens only after a snapshot or concurrent changes, but the rule stays so that
     * listeners and clients see the same sequence of states as before.
     */
    private static final long MIN_VIEW_LAG_NANOS = Duration.ofMillis(100).toNanos();

    private static final int VIEW_LAG_PER_DECODE = 50;
    /** The most the view lags under a backlog, however slow one decode was (a GC pause, say). */
    private static final long MAX_VIEW_LAG_NANOS = Duration.ofSeconds(1).toNanos();

    static {
        AutomergeRuntime.ensureLoaded();
    }

    private final CollaborationSettings<S> settings;
    private final ObjectMapper mapper;
    /** Builds the view from the document's tree, reusing what did not change. Turn-owned. */
    private final TypedView<S> typedView;

    // Turn-owned.
    private AutomergeDocument document;
    /** Null without storage. */
    private DocumentPersistence persistence;
    /** Null without peers. */
    private SyncEngine sync;
    /** Null without an automerge-repo server. */
    private RepoDocumentSync repoSync;

    private boolean flushScheduled;
    /** The document changed since the view was last decoded and published. */
    private boolean viewDirty;
    /** When {@link #viewDirty} last became true ({@code System.nanoTime}). */
    private long viewDirtySince;
    /** How long the last decode of the view took, in nanoseconds. */
    private long lastDecodeNanos;
    /** A turn that publishes the view once the backlog is gone is queued. */
    private boolean viewRetryQueued;

    /**
     * @param settings the document id, view type, initial state, peers and storage
     */
    protected CollaborationActor(CollaborationSettings<S> settings) {
        super(settings.initialState());
        this.settings = settings;
        this.mapper = settings.mapper();
        this.typedView = new TypedView<>(settings.viewType(), mapper);
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
        boolean startEmpty = settings.repo() != null && settings.repo().find();
        // A document to be found starts with no change at all: an initial change of ours would
        // be merged into the document that exists elsewhere.
        Document opened = startEmpty ? openDocument(Document::new) : openDocument(() -> Genesis.document(settings));
        document = new AutomergeDocument(
                Genesis.withOwnActor(opened),
                startEmpty ? new ChangeHash[0] : Genesis.heads(settings),
                mapper,
                persistence != null && persistence.loadedWithProblems());
        if (persistence != null) {
            persistence.savedAt(document.heads());
        }
        publishView();
        if (settings.peers() != null) {
            sync = new SyncEngine(settings.documentId(), document, new Host(), settings.snapshotTimeout());
            reactToEvents(settings.peers(), PeerEvents.document(settings.documentId()), event -> {
                PeerEvents.Received received = (PeerEvents.Received) event.payload();
                sync.received(received.from(), received.envelope());
            });
            reactToEvents(settings.peers(), PeerEvents.PEER_JOINED, event -> sync.peerJoined((PeerId) event.payload()));
            reactToEvents(settings.peers(), PeerEvents.PEER_LEFT, event -> sync.peerLeft((PeerId) event.payload()));
            reactToEvents(settings.peers(), PeerEvents.TRANSPORT_CHANGED, event -> {
                PeerEvents.TransportChanged change = (PeerEvents.TransportChanged) event.payload();
                sync.transportChanged(change.peer(), change.from(), change.to());
            });
            for (PeerId peer : peers().state().peers()) {
                sync.peerJoined(peer);
            }
            scheduleAtFixedRate(settings.resyncInterval(), settings.resyncInterval(), this::resync);
        }
        if (settings.repo() != null) {
            startRepoSync(settings.repo());
        }
    }

    private void startRepoSync(RepoSharing sharing) {
        DocumentId id = DocumentId.parse(settings.documentId());
        repoSync = new RepoDocumentSync(id, document, sharing, new RepoHost(sharing));
        repoSync.start();
        reactToEvents(
                sharing.connection(),
                RepoEvents.document(id),
                event -> repoSync.received((RepoMessage) event.payload()));
        reactToEvents(
                sharing.connection(),
                RepoEvents.CONNECTED,
                event -> repoSync.connected((RepoEvents.Connected) event.payload()));
        reactToEvents(sharing.connection(), RepoEvents.DISCONNECTED, event -> repoSync.disconnected());
        RepoConnectionState now = dependency(sharing.connection()).state();
        if (now.connected()) {
            // Joined before this actor subscribed; if the event is still on its way, the
            // conversation merely starts over once more.
            repoSync.connected(new RepoEvents.Connected(now.connection(), now.serverPeerId(), PeerMetadata.EMPTY));
        }
    }

    /**
     * Frees the document and its sync states. Subclasses that override it must call
     * {@code super.onStop()}.
     */
    @Override
    protected void onStop() throws Exception {
        if (viewDirty && document != null) {
            // A flush put off behind this stop, or queued after it, would be dropped with the
            // mailbox: the last published state must still show every change.
            publishView();
        }
        if (sync != null) {
            sync.close();
            sync = null;
        }
        if (repoSync != null) {
            repoSync.close();
            repoSync = null;
        }
        if (document != null) {
            document.free();
            document = null;
        }
    }

    /** The stored document, or {@code fresh} if there is none (or it cannot be read). */
    private Document openDocument(Supplier<Document> fresh) {
        if (settings.storage() != null) {
            persistence = new DocumentPersistence(settings.storage(), settings.documentId());
            try {
                Document stored = persistence.load(fresh);
                if (stored != null) {
                    return stored;
                }
            } catch (StorageException e) {
                LOG.error(
                        "document {}: could not load from storage; starting from the initial state",
                        settings.documentId(),
                        e);
                emit(CollaborationEvents.SAVE_FAILED, e);
            }
        }
        return fresh.get();
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
        if (document.change(edit)) {
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
        if (document.replaceRoot(root)) {
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
        return document.version();
    }

    /**
     * Reads the document as it was at a version. <em>Not thread-safe</em>.
     *
     * @param version a version from {@link #version()}
     * @return the view then
     */
    protected final S viewAt(DocumentVersion version) {
        return decode(document.treeAt(version));
    }

    /**
     * What each peer of the room has acknowledged of this document. <em>Not thread-safe</em>.
     *
     * @return per peer in the room: in sync or not, the version it acknowledged, and the size of
     *     the changes it has not
     */
    protected final Map<PeerId, PeerSyncStatus> syncStatus() {
        Map<PeerId, PeerSyncStatus> status = new TreeMap<>();
        if (sync != null) {
            for (PeerStatus peer : sync.status()) {
                status.put(
                        peer.peer(),
                        new PeerSyncStatus(
                                peer.peer(),
                                peer.inSync(),
                                AutomergeDocument.version(peer.acknowledged()),
                                peer.unacknowledgedBytes()));
            }
        }
        return status;
    }

    /**
     * The document as a tree, for tests and tools. <em>Not thread-safe</em>.
     *
     * @return the document's content
     */
    protected final ObjectNode documentTree() {
        return document.tree();
    }

    /** The view's own tree, as Jackson: for tests that hold it equal to a full decode. */
    ObjectNode viewTree() {
        return document.view().toJackson();
    }

    /** @return how many times the view read the whole document (for tests and benchmarks) */
    long fullViewReads() {
        return document.fullViewReads();
    }

    /** @return how many peers' text changes the view followed without patches (for tests) */
    long remoteTextEditsFollowed() {
        return document.remoteTextEditsFollowed();
    }

    /**
     * The view of the document as it is now, including changes of this turn.
     * <em>Not thread-safe</em>: the actor's turn only.
     *
     * <p>Use this rather than {@code state()} inside the actor: the published state (what
     * {@code state()} and clients see) is refreshed once per batch of changes, in a step queued
     * right after the first change of the batch; while more messages wait behind that step, it is
     * put off until they are done (for at most 100 ms, or 50 times the last publication's duration
     * up to 1 s).
     *
     * @return the current view
     */
    protected final S view() {
        if (viewDirty) {
            publishView();
        }
        return state();
    }

    /**
     * Retries sync with every peer not known to be in sync, forgetting messages in flight that
     * may have been lost. Runs every {@code resyncInterval}; call it to recover sooner.
     * <em>Not thread-safe</em>: the actor's turn only.
     */
    protected final void resync() {
        if (sync != null) {
            sync.resync();
        }
    }

    // ------------------------------------------------------------------ the batch step

    /** A change, local or merged: the view, storage and peers catch up in the next flush. */
    private void changed() {
        if (!viewDirty) {
            viewDirty = true;
            viewDirtySince = System.nanoTime();
        }
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
        if (sync != null) {
            sync.flush();
        }
        if (repoSync != null) {
            repoSync.flush();
        }
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
            setState(decodeView());
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

    private S decodeView() {
        try {
            return typedView.decode(document.view());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "document " + settings.documentId() + " cannot be read as "
                            + settings.viewType().getSimpleName() + ": " + e.getOriginalMessage(),
                    e);
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
        if (persistence == null) {
            return;
        }
        try {
            persistence.persist(document);
        } catch (StorageException e) {
            LOG.error("document {}: saving failed; it is retried with the next change", settings.documentId(), e);
            emit(CollaborationEvents.SAVE_FAILED, e);
        }
    }

    private ActorClient<PeerMessaging, Roster> peers() {
        return dependency(settings.peers());
    }

    /** The engine's way out: this actor's messaging, timers and events, all in its turns. */
    private final class Host implements SyncHost {
        @Override
        public void send(PeerId peer, Envelope envelope) {
            peers().actions().send(peer, envelope);
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return scheduleOnce(delay, task);
        }

        @Override
        public void changed() {
            CollaborationActor.this.changed();
        }

        @Override
        public void merged(PeerId peer) {
            emit(CollaborationEvents.MERGED, peer);
        }

        @Override
        public void rejected(PeerId peer, String problem) {
            String message = "document " + settings.documentId() + ": dropped input from " + peer + ": " + problem;
            LOG.warn("{}", message);
            emit(
                    CollaborationEvents.SYNC_ERROR,
                    new CollaborationEvents.SyncError(peer.toString(), settings.documentId(), message));
        }
    }

    /** The automerge-repo conversation's way out, in this actor's turns. */
    private final class RepoHost implements RepoDocumentSync.Host {
        private final RepoSharing sharing;
        /** An {@link CollaborationEvents#UNAVAILABLE} event is retained. */
        private boolean reportedUnavailable;

        RepoHost(RepoSharing sharing) {
            this.sharing = sharing;
        }

        @Override
        public RepoConnection connection() {
            return dependency(sharing.connection()).actions();
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return scheduleOnce(delay, task);
        }

        @Override
        public void changed(String server) {
            CollaborationActor.this.changed();
            if (reportedUnavailable) {
                // The document arrived after all: a client that subscribes now must not be told
                // it is unavailable.
                reportedUnavailable = false;
                clearRetained(CollaborationEvents.UNAVAILABLE);
            }
            emit(CollaborationEvents.MERGED, server);
        }

        @Override
        public void rejected(String server, String problem) {
            String message = "document " + settings.documentId() + ": dropped input from " + server + ": " + problem;
            LOG.warn("{}", message);
            emit(
                    CollaborationEvents.SYNC_ERROR,
                    new CollaborationEvents.SyncError(server, settings.documentId(), message));
        }

        @Override
        public void unavailable(String reason) {
            String url = DocumentId.parse(settings.documentId()).url().toString();
            LOG.warn("document {}: unavailable: {}", url, reason);
            // Retained: the server may answer doc-unavailable before the caller of
            // ActorSystem.start() has subscribed; it must still hear of it, not wait out a timeout.
            reportedUnavailable = true;
            emitRetained(CollaborationEvents.UNAVAILABLE, new CollaborationEvents.Unavailable(url, reason));
        }
    }
}
