package dev.ensemble.collab;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.automerge.AmValue;
import org.automerge.ObjectId;

/**
 * The objects that {@link DocPath}s of one document resolve to, so that an edit on a known map,
 * list or text costs no lookup: resolving {@code text} from the root is a native call per edit
 * (a sixth of a trace replay's overhead, see docs/BENCHMARKS.md), and for a text also its length
 * in code points, so that a deletion needs no native length call to check its range.
 *
 * <h2>When an entry goes stale</h2>
 * An entry holds only while nothing can have replaced the object at its path, or changed a
 * text's length behind this cache's back. Whoever changes the document says so:
 * <ul>
 *   <li>{@link DocumentTransaction} forgets a path and everything below it when it writes
 *       there ({@code put}, {@code putScalar}, {@code putCounter}, deleting a key), and
 *       everything below a list when it inserts into or deletes from it (the indexes shift);</li>
 *   <li>{@link CollaborationActor} {@linkplain #clear() clears} it before it merges anything
 *       from a peer (sync messages, pushed changes, snapshots: a concurrent change can replace a
 *       map entry), before {@code update} (the diff may replace objects anywhere), and when a
 *       change is rolled back (objects it created are gone).</li>
 * </ul>
 * A restart makes a new actor and with it a new, empty cache.
 *
 * <p><em>Not thread-safe</em>: owned by one actor and used only in its turns. Bounded: past
 * {@link #MAX_ENTRIES} it starts over rather than grow with every list index ever addressed.
 */
final class ResolvedPaths {
    /** Enough for every path a document's edits use; a program walking a long list starts over. */
    static final int MAX_ENTRIES = 256;

    private final Map<DocPath, Entry> entries = new HashMap<>();

    /**
     * An object a path resolved to. Its text length is tracked by the splices that go through the
     * cache; {@code -1} when not known.
     */
    static final class Entry {
        final ObjectId id;
        final Class<? extends AmValue> kind;
        long textLength = -1;

        Entry(ObjectId id, Class<? extends AmValue> kind) {
            this.id = id;
            this.kind = kind;
        }
    }

    /** @return what {@code path} resolved to, or null if unknown */
    Entry get(DocPath path) {
        return entries.get(path);
    }

    /**
     * Remembers what {@code path} resolves to.
     *
     * @return the new entry
     */
    Entry remember(DocPath path, ObjectId id, Class<? extends AmValue> kind) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        Entry entry = new Entry(id, kind);
        entries.put(path, entry);
        return entry;
    }

    /** Forgets {@code path} and every path below it: the object there was replaced or deleted. */
    void forget(DocPath path) {
        forget(path, true);
    }

    /** Forgets every path strictly below {@code container}: its keys or indexes now name other objects. */
    void forgetBelow(DocPath container) {
        forget(container, false);
    }

    /** Forgets everything: the document may have changed anywhere. */
    void clear() {
        entries.clear();
    }

    /** @return how many paths are known (for tests) */
    int size() {
        return entries.size();
    }

    private void forget(DocPath prefix, boolean inclusive) {
        if (entries.isEmpty()) {
            return;
        }
        List<Object> head = prefix.segments();
        entries.keySet().removeIf(path -> {
            List<Object> segments = path.segments();
            if (segments.size() < head.size() || (!inclusive && segments.size() == head.size())) {
                return false;
            }
            return segments.subList(0, head.size()).equals(head);
        });
    }
}
