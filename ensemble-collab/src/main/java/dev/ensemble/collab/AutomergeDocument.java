package dev.ensemble.collab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.collab.sync.Heads;
import dev.ensemble.collab.sync.RejectedInputException;
import dev.ensemble.collab.sync.SyncDocument;
import dev.ensemble.collab.view.ChangeChain;
import dev.ensemble.collab.view.LocalEdits;
import dev.ensemble.collab.view.RemoteTextEdit;
import dev.ensemble.collab.view.ViewSnapshot;
import dev.ensemble.collab.view.ViewTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.PatchLog;
import org.automerge.SyncState;
import org.automerge.Transaction;

/**
 * The Automerge document of a {@link CollaborationActor}, and the one class that calls Automerge
 * on it: local transactions, reads, sync, snapshots, storage encodings. Every way the document
 * changes passes through here (local edits in {@link #change} and {@link #replaceRoot}, peers'
 * input in the {@link SyncDocument} methods), which is where the paths cache is invalidated and
 * where the {@link ViewTree} learns of every change: local transactions report their edits, peers'
 * changes that extend the document one after another come with Automerge patches, and anything
 * else makes the view read the document again (see {@link ChangeChain} for why patches are asked
 * for only then).
 *
 * <p>Confined: touched only inside the owning actor's turns (a {@code Document} crashes the JVM
 * when used from two threads at once), and {@link #free() freed} when the actor stops or restarts.
 */
final class AutomergeDocument implements SyncDocument {
    static {
        AutomergeRuntime.ensureLoaded();
    }

    private final ObjectMapper mapper;
    private final Heads initialHeads;
    /** What the paths of {@link #change} edits resolve to; cleared whenever objects may have been replaced. */
    private final ResolvedPaths paths = new ResolvedPaths();
    /** The content as the view sees it, kept current with every change made here. */
    private final ViewTree view = new ViewTree();

    private Document doc;
    /**
     * The document's heads, or null when they must be asked for: each ask is a native call, and
     * the sync engine and the view ask several times per change. Cleared by every method that
     * changes the document.
     */
    private ChangeHash[] knownHeads;
    /**
     * {@link #knownHeads} as {@link Heads}, made when first asked for after they changed: the sync
     * engine asks four or five times per followed keystroke, and each conversion copies and checks
     * the hashes: about a twentieth of a followed keystroke's Java time by the samples of a JFR
     * profile on the paper text (too little for the benchmark's wall-clock medians to show).
     */
    private Heads knownHeadsAsHeads;

    private ChangeHash[] knownHeadsAsHeadsOf;
    /**
     * The bytes of {@link #knownHeads}, made when first asked for after they changed: {@code
     * ChangeHash.getBytes} copies its hash, and a followed keystroke compared the heads' bytes
     * three times (the chain's check, the only head after it, the conversion to {@link Heads}).
     */
    private List<byte[]> knownHeadBytes;

    private ChangeHash[] knownHeadBytesOf;
    /**
     * Whether Automerge may hold changes back for want of their dependencies (it applies them by
     * itself once those arrive). While it cannot, a change that extends the document linearly is
     * its only head afterwards, and the heads need not be asked for: 1.9 µs on the paper text, a
     * tenth of a followed keystroke. Set by any input whose changes are not all known to be
     * applied; automerge-java 0.0.7 cannot tell whether its queue is empty, so only adopting a
     * whole saved document clears it.
     */
    private boolean mayHoldBack;

    /**
     * @param doc the document, now owned by this object
     * @param initialHeads the heads of the document's initial change
     * @param mapper converts values written through {@link DocumentTransaction}s
     * @param mayHoldBack whether {@code doc} may hold changes back for want of their dependencies
     */
    AutomergeDocument(Document doc, ChangeHash[] initialHeads, ObjectMapper mapper, boolean mayHoldBack) {
        this.doc = doc;
        this.initialHeads = heads(initialHeads);
        this.mapper = mapper;
        this.mayHoldBack = mayHoldBack;
    }

    // ------------------------------------------------------------------ local edits and reads

    /**
     * Edits the document in one change.
     *
     * @return whether a change was committed (an edit may change nothing)
     */
    boolean change(Consumer<DocumentTransaction> edit) {
        LocalEdits edits = view.edits();
        try (Transaction tx = doc.startTransaction()) {
            edit.accept(new DocumentTransaction(tx, mapper, paths, edits));
            Optional<ChangeHash> hash = tx.commit();
            boolean committed = hash.isPresent();
            if (committed) {
                // A local change depends on every head, so it is now the only one.
                knownHeads = new ChangeHash[] {hash.get()};
            }
            if (edits != null) {
                view.commit(edits);
            }
            return committed;
        } catch (Throwable rolledBack) {
            // The view never saw the tentative edits: nothing to undo there.
            // Paths resolved inside it may name objects that the rollback removed.
            paths.clear();
            throw rolledBack;
        }
    }

    /**
     * Writes the differences between the document and a new root value, in one change.
     *
     * @return whether a change was committed
     */
    boolean replaceRoot(ObjectNode root) {
        paths.clear();
        knownHeads = null;
        if (!view.isCurrent()) {
            try (Transaction tx = doc.startTransaction()) {
                DocumentWriter.diffMap(tx, ObjectId.ROOT, root);
                return tx.commit().isPresent();
            } finally {
                knownHeads = null;
            }
        }
        // The diff writes anywhere, so its patches are the simplest account of it; a local
        // change cannot raise the conflict flag that would abort the JVM (see ChangeChain).
        PatchLog log = new PatchLog();
        try {
            boolean committed;
            try (Transaction tx = doc.startTransaction(log)) {
                DocumentWriter.diffMap(tx, ObjectId.ROOT, root);
                committed = tx.commit().isPresent();
            } finally {
                knownHeads = null;
            }
            view.apply(doc.makePatches(log));
            return committed;
        } finally {
            log.free();
        }
    }

    /** @return the document's content now, as the view's tree (read whole only if it is not current) */
    ViewSnapshot view() {
        return view.current(doc);
    }

    /** @return how many times the view had to read the whole document (for tests and benchmarks) */
    long fullViewReads() {
        return view.fullReads();
    }

    /** @return how many peers' text changes the view followed without patches (for tests) */
    long remoteTextEditsFollowed() {
        return view.textEdits();
    }

    /** @return the document's content as a tree */
    ObjectNode tree() {
        return DocumentReader.readRoot(doc, null);
    }

    /** @return the document's content as it was at a version */
    ObjectNode treeAt(DocumentVersion version) {
        // A fork at those heads, read as it is now: automerge-java 0.0.7's reads "at heads" omit
        // counters that were incremented, so they cannot be used directly.
        Document then = doc.fork(version.heads());
        try {
            return DocumentReader.readRoot(then, null);
        } finally {
            then.free();
        }
    }

    DocumentVersion version() {
        return new DocumentVersion(currentHeads());
    }

    private ChangeHash[] currentHeads() {
        if (knownHeads == null) {
            knownHeads = doc.getHeads();
        }
        return knownHeads;
    }

    static DocumentVersion version(Heads heads) {
        return new DocumentVersion(hashes(heads));
    }

    /** Frees the native document. Nothing may use this object afterwards. */
    void free() {
        doc.free();
    }

    // ------------------------------------------------------------------ SyncDocument

    @Override
    public Heads heads() {
        ChangeHash[] current = currentHeads();
        // knownHeads is replaced, never changed in place, so the array's identity says which
        // heads the conversion is of.
        if (knownHeadsAsHeads == null || knownHeadsAsHeadsOf != current) {
            knownHeadsAsHeads = Heads.of(headBytes());
            knownHeadsAsHeadsOf = current;
        }
        return knownHeadsAsHeads;
    }

    /** @return the bytes of the current heads, in Automerge's order; not to be changed */
    private List<byte[]> headBytes() {
        ChangeHash[] current = currentHeads();
        if (knownHeadBytes == null || knownHeadBytesOf != current) {
            List<byte[]> bytes = new ArrayList<>(current.length);
            for (ChangeHash hash : current) {
                bytes.add(hash.getBytes());
            }
            knownHeadBytes = bytes;
            knownHeadBytesOf = current;
        }
        return knownHeadBytes;
    }

    @Override
    public Heads initialHeads() {
        return initialHeads;
    }

    @Override
    public PeerState newPeerState() {
        return new AutomergePeerState(new SyncState());
    }

    @Override
    public PeerState peerStateSharing(Heads shared) {
        return new AutomergePeerState(shared);
    }

    @Override
    public Optional<byte[]> generateSyncMessage(PeerState peer) {
        return doc.generateSyncMessage(((AutomergePeerState) peer).state());
    }

    @Override
    public void receiveSyncMessage(PeerState peer, byte[] message) throws RejectedInputException {
        paths.clear();
        SyncState state = ((AutomergePeerState) peer).state();
        try {
            apply(
                    ChangeChain.ofSyncMessage(message),
                    null,
                    log -> doc.receiveSyncMessage(state, log, message),
                    () -> doc.receiveSyncMessage(state, message));
        } catch (RuntimeException e) {
            throw new RejectedInputException(
                    "Automerge rejected a sync message of " + RejectedInputException.describe(message) + ": "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public void applyChanges(byte[] changes) throws RejectedInputException {
        String problem = ChunkFraming.problem(changes);
        if (problem != null) {
            // Automerge would load the whole chunks before it and drop the rest without a word.
            throw new RejectedInputException(
                    "pushed changes must be whole Automerge change chunks, but in these "
                            + RejectedInputException.describe(changes) + " " + problem,
                    null);
        }
        paths.clear();
        try {
            apply(
                    ChangeChain.ofChanges(changes),
                    changes,
                    log -> doc.applyEncodedChanges(changes, log),
                    () -> doc.applyEncodedChanges(changes));
        } catch (RuntimeException e) {
            throw new RejectedInputException(
                    "Automerge rejected pushed changes of " + RejectedInputException.describe(changes) + ": "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public Heads mergeSnapshot(byte[] saved) throws RejectedInputException {
        Document snapshot;
        try {
            snapshot = Document.load(saved);
        } catch (RuntimeException e) {
            throw new RejectedInputException(
                    "Automerge could not load a snapshot of " + RejectedInputException.describe(saved) + ": "
                            + e.getMessage(),
                    e);
        }
        paths.clear();
        knownHeads = null;
        try {
            Heads snapshotHeads = heads(snapshot.getHeads());
            if (heads().equals(initialHeads)) {
                // Nothing of ours to keep but the initial change, which the snapshot holds too:
                // adopting it costs a load, where merging would apply its whole history again.
                Document adopted = snapshot.fork(doc.getActorId());
                doc.free();
                doc = adopted;
                // Only change chunks after the saved document can have been held back.
                mayHoldBack = !ChunkFraming.isOneDocument(saved);
            } else {
                // Takes the changes the snapshot applied, never any it held back.
                doc.merge(snapshot);
            }
            // A snapshot is concurrent with our changes in general: read the view again.
            view.invalidate();
            knownHeads = null;
            return snapshotHeads;
        } catch (RuntimeException e) {
            knownHeads = null;
            throw new RejectedInputException(
                    "Automerge could not merge a snapshot of " + saved.length + " bytes: " + e.getMessage(), e);
        } finally {
            snapshot.free();
        }
    }

    /**
     * Applies peer input with a patch log if its changes extend the document one after another,
     * and feeds the patches to the view; otherwise without, and the view reads the document again.
     * One pushed change that only splices text needs no patches: the view follows it with a cursor
     * look-up per splice ({@link RemoteTextEdit}), a fraction of what patches cost.
     *
     * @param chain the input's changes, or null if they cannot be read
     * @param pushed the input if it is pushed changes (not a sync message), else null
     */
    private void apply(ChangeChain chain, byte[] pushed, Consumer<PatchLog> withLog, Runnable withoutLog) {
        ChangeHash[] before = currentHeads();
        if (chain == null || chain.isEmpty() || !view.isCurrent() || !chain.extendsLinearly(headBytes())) {
            withoutPatches(chain, before, withoutLog);
            return;
        }
        RemoteTextEdit text = pushed != null && chain.size() == 1 ? view.prepareTextEdit(pushed, doc) : null;
        if (text != null) {
            try {
                withoutLog.run();
            } finally {
                knownHeads = null;
            }
            ChangeHash[] after = headsAfterLinear(chain);
            if (isOnlyHead(headBytes(), chain.last())) {
                view.complete(text, doc);
            } else if (!sameHeads(before, after)) {
                view.invalidate();
            }
            return;
        }
        PatchLog log = new PatchLog();
        try {
            try {
                withLog.accept(log);
            } finally {
                knownHeads = null;
            }
            ChangeHash[] after = headsAfterLinear(chain);
            // Automerge may also have applied changes it held back for want of their
            // dependencies; those are not known to be free of conflicts, so no patches then.
            if (isOnlyHead(headBytes(), chain.last())) {
                view.apply(doc.makePatches(log));
            } else if (!sameHeads(before, after)) {
                view.invalidate();
            }
        } finally {
            log.free();
        }
    }

    /** @return the heads after applying changes that extend the document linearly */
    private ChangeHash[] headsAfterLinear(ChangeChain chain) {
        if (!mayHoldBack) {
            // Nothing held back can have come free, and the chain's dependencies were all here.
            knownHeads = new ChangeHash[] {new ChangeHash(chain.last()) {}};
            // The chain's hash is its own copy, never handed out: no need to copy it again.
            knownHeadBytes = List.of(chain.last());
            knownHeadBytesOf = knownHeads;
        }
        return currentHeads();
    }

    private static boolean isOnlyHead(List<byte[]> heads, byte[] hash) {
        return heads.size() == 1 && Arrays.equals(heads.get(0), hash);
    }

    private void withoutPatches(ChangeChain chain, ChangeHash[] before, Runnable apply) {
        try {
            apply.run();
        } finally {
            knownHeads = null;
            ChangeHash[] after = currentHeads();
            if (!sameHeads(before, after)) {
                view.invalidate();
            }
            // All of a sequence is applied once its last change is a head; of anything else,
            // some may have been held back.
            if (chain == null || !chain.isEmpty() && !(chain.isSequence() && isHead(after, chain.last()))) {
                mayHoldBack = true;
            }
        }
    }

    private static boolean isHead(ChangeHash[] heads, byte[] hash) {
        for (ChangeHash head : heads) {
            if (Arrays.equals(head.getBytes(), hash)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameHeads(ChangeHash[] a, ChangeHash[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!Arrays.equals(a[i].getBytes(), b[i].getBytes())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public byte[] changesSince(Heads heads) {
        return doc.encodeChangesSince(hashes(heads));
    }

    @Override
    public byte[] save() {
        return doc.save();
    }

    // ------------------------------------------------------------------ conversions

    static Heads heads(ChangeHash[] hashes) {
        List<byte[]> bytes = new ArrayList<>(hashes.length);
        for (ChangeHash hash : hashes) {
            bytes.add(hash.getBytes());
        }
        return Heads.of(bytes);
    }

    private static ChangeHash[] hashes(Heads heads) {
        List<byte[]> bytes = heads.hashes();
        ChangeHash[] hashes = new ChangeHash[bytes.size()];
        for (int i = 0; i < hashes.length; i++) {
            // ChangeHash's constructor is protected, hence the empty subclass.
            hashes[i] = new ChangeHash(bytes.get(i)) {};
        }
        return hashes;
    }

    /**
     * An Automerge sync state with one peer, confined like the document. A state that knows only
     * the shared heads ({@link #peerStateSharing}) is made in Automerge only when a sync message
     * is generated or received: the steady state replaces it after every push received, and
     * decoding it there and freeing it at the next push cost 4 µs of native calls per keystroke
     * for a state that is never used.
     */
    private static final class AutomergePeerState implements PeerState {
        /** What both sides share while {@link #state} is not made yet. */
        private final Heads shared;

        private SyncState state;

        AutomergePeerState(SyncState state) {
            this.shared = null;
            this.state = state;
        }

        AutomergePeerState(Heads shared) {
            this.shared = shared;
        }

        /** @return the Automerge sync state, made now if it was not */
        SyncState state() {
            if (state == null) {
                state = SyncState.decode(shared.encode());
            }
            return state;
        }

        @Override
        public Heads sharedHeads() {
            if (state == null) {
                return shared;
            }
            Heads decoded = Heads.decode(state.encode());
            if (decoded == null) {
                throw new IllegalStateException("an encoded Automerge sync state is not in the form this version reads"
                        + " (0x43, a count, 32-byte hashes): has automerge-java changed its format?");
            }
            return decoded;
        }

        @Override
        public void free() {
            if (state != null) {
                state.free();
            }
        }
    }
}
