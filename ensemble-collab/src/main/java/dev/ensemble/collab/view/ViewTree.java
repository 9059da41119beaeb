package dev.ensemble.collab.view;

import java.util.List;
import org.automerge.ObjectId;
import org.automerge.Patch;
import org.automerge.Read;

/**
 * INTERNAL API: the current content of one document as an immutable tree, kept up to date with
 * the document edit by edit. Each version shares every unchanged subtree with the one before, so
 * keeping it current costs the edits, not the document.
 *
 * <h2>How it follows the document</h2>
 * <ul>
 *   <li>Local transactions report their edits through {@link #edits()} and {@link #commit}
 *       (no call into Automerge for text splices);</li>
 *   <li>a change from a peer that extends the document and only splices text is followed with a
 *       cursor look-up per splice ({@link #prepareTextEdit}, {@link #complete});</li>
 *   <li>other changes from peers that extend the document one after another ({@link ChangeChain})
 *       come as Automerge patches ({@link #apply});</li>
 *   <li>everything else {@linkplain #invalidate() invalidates} the tree, and the next
 *       {@link #current} reads the whole document again: a merged snapshot, concurrent changes,
 *       and any edit or patch that does not fit the tree.</li>
 * </ul>
 *
 * <p><em>Not thread-safe</em>: owned by one document and used only in its actor's turns. The
 * trees it hands out are immutable and may be read from any thread.
 */
public final class ViewTree {
    /** Null when the tree must be read again from the document. */
    private MapObject root;

    private final TextPaths textPaths = new TextPaths();
    /** Where recently followed text edits inserted elements; valid only while {@link #root} is their tree. */
    private final KnownPositions known = new KnownPositions();

    private final OperationIds ids = new OperationIds();

    private long fullReads;
    private long textEdits;
    private long textLookups;

    /** @return whether the tree is current, so that edits and patches can be applied to it */
    public boolean isCurrent() {
        return root != null;
    }

    /** Forgets the tree: the document changed in a way that is not applied here. */
    public void invalidate() {
        root = null;
        known.clear();
    }

    /**
     * @return the edits of a local transaction, to {@link #commit} if it commits; null while the
     *     tree is not current (the transaction then need not report anything)
     */
    public LocalEdits edits() {
        return root == null ? null : new LocalEdits(root);
    }

    /** Adopts the edits of a committed transaction (or invalidates the tree if they did not fit). */
    public void commit(LocalEdits edits) {
        root = edits.root();
    }

    /** Applies patches from Automerge; invalidates the tree if they do not fit it. */
    public void apply(List<Patch> patches) {
        if (root == null) {
            return;
        }
        try {
            root = PatchApplier.apply(root, patches);
        } catch (RuntimeException doesNotFit) {
            root = null;
        }
    }

    /**
     * Reads a peer's change before it is applied, to follow it without patches if it only splices
     * text (see {@link RemoteTextEdit} for what it accepts and why the result is exact).
     *
     * @param change one change chunk that extends the document linearly ({@link ChangeChain#extendsLinearly})
     * @param doc the document, not yet changed
     * @return the edit to {@link #complete} once the change is applied, or null if the change must
     *     be applied with patches (or the tree is not current)
     */
    public RemoteTextEdit prepareTextEdit(byte[] change, Read doc) {
        return root == null ? null : RemoteTextEdit.prepare(root, textPaths, change, doc, known, ids);
    }

    /**
     * Follows a change prepared by {@link #prepareTextEdit} that is now applied, and nothing else
     * since; invalidates the tree if the document does not hold what the edit expects.
     */
    public void complete(RemoteTextEdit edit, Read doc) {
        if (root == null) {
            return;
        }
        try {
            root = edit.complete(root, doc, known);
            textEdits++;
            textLookups += edit.lookups();
        } catch (ViewMismatchException doesNotFit) {
            root = null;
            known.clear();
        }
    }

    /**
     * @param doc the document, read whole if the tree is not current
     * @return the current tree
     */
    public ViewSnapshot current(Read doc) {
        if (root == null) {
            fullReads++;
            root = TreeReader.readMap(doc, ObjectId.ROOT);
        }
        return new ViewSnapshot(root);
    }

    /** @return how many times the whole document was read, for tests and benchmarks */
    public long fullReads() {
        return fullReads;
    }

    /** @return how many peers' changes were followed without patches, for tests */
    public long textEdits() {
        return textEdits;
    }

    /** @return how many cursor look-ups following them took, for tests */
    public long textLookups() {
        return textLookups;
    }
}
