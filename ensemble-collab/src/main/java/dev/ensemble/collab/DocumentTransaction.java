package dev.ensemble.collab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.collab.view.LocalEdits;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.automerge.AmValue;
import org.automerge.NewValue;
import org.automerge.ObjectId;
import org.automerge.Transaction;

/**
 * Edits to a {@link CollaborationActor}'s document, addressed by {@link DocPath}. Values are
 * converted through Jackson (records, maps, lists, strings, numbers, booleans, null, byte
 * arrays); strings become collaborative text unless stored with {@link #putScalar}.
 *
 * <pre>{@code
 * change(tx -> {
 *     tx.put(DocPath.of("title"), "Evening jam");
 *     tx.putScalar(DocPath.of("leader"), peerId);
 *     tx.insert(DocPath.of("setlist"), 0, new Song("Blue in Green", 56));
 *     tx.spliceText(DocPath.of("notes"), 0, 0, "start slow ");
 *     tx.increment(DocPath.of("plays"), 1);
 * });
 * }</pre>
 *
 * <p>A path is looked up once and remembered for the document (with a text's length), so a
 * burst of edits on one text costs Automerge's own calls and nothing more; what it remembers is
 * forgotten whenever the object at a path may have been replaced (see {@code ResolvedPaths}), and
 * the next edit goes to the object Automerge resolves the path to then.
 *
 * <p><em>Not thread-safe</em>: valid only inside the {@code change} call that handed it out,
 * on the actor's turn. If the edit throws, every operation of it is rolled back.
 */
public final class DocumentTransaction {
    private final Transaction tx;
    private final ObjectMapper mapper;
    private final ResolvedPaths paths;
    /** Where the view learns of each edit; null when the view will read the document again anyway. */
    private final LocalEdits edits;

    /** For a transaction on a document of its own (the genesis change): nothing resolved to share. */
    DocumentTransaction(Transaction tx, ObjectMapper mapper) {
        this(tx, mapper, new ResolvedPaths());
    }

    /**
     * @param paths what paths of this document resolve to, kept across its transactions; this
     *     transaction keeps it true for its own writes (the caller clears it on rollback)
     */
    DocumentTransaction(Transaction tx, ObjectMapper mapper, ResolvedPaths paths) {
        this(tx, mapper, paths, null);
    }

    DocumentTransaction(Transaction tx, ObjectMapper mapper, ResolvedPaths paths, LocalEdits edits) {
        this.tx = tx;
        this.mapper = mapper;
        this.paths = paths;
        this.edits = edits;
    }

    /**
     * Sets a map key or list element, creating nested maps and lists; strings become text.
     *
     * @param path where: its parent must exist
     * @param value the value, converted through Jackson
     */
    public void put(DocPath path, Object value) {
        JsonNode node = mapper.valueToTree(value);
        Target target = resolve(path);
        paths.forget(path);
        if (target.key != null) {
            DocumentWriter.put(tx, target.parent, target.key, node);
        } else {
            target.checkIndex(tx, false);
            DocumentWriter.set(tx, target.parent, target.index, node);
        }
        wrote(target);
    }

    /**
     * Sets a string as a scalar: replaced whole, last writer wins. For identifiers and enumerations.
     *
     * @param path where
     * @param value the string
     */
    public void putScalar(DocPath path, String value) {
        Objects.requireNonNull(value, "value");
        Target target = resolve(path);
        paths.forget(path);
        if (target.key != null) {
            tx.set(target.parent, target.key, value);
        } else {
            target.checkIndex(tx, false);
            tx.set(target.parent, target.index, value);
        }
        wrote(target);
    }

    /**
     * Creates a counter: concurrent {@link #increment}s add up instead of overwriting.
     *
     * @param path where
     * @param initial its starting value
     */
    public void putCounter(DocPath path, long initial) {
        Target target = resolve(path);
        paths.forget(path);
        if (target.key != null) {
            tx.set(target.parent, target.key, NewValue.counter(initial));
        } else {
            target.checkIndex(tx, false);
            tx.set(target.parent, target.index, NewValue.counter(initial));
        }
        wrote(target);
    }

    /**
     * Adds to a counter created with {@link #putCounter}.
     *
     * @param path the counter
     * @param by the amount, may be negative
     */
    public void increment(DocPath path, long by) {
        Target target = resolve(path);
        Optional<AmValue> current = target.key != null
                ? tx.get(target.parent, target.key)
                : tx.get(target.parent, (int) target.checkIndex(tx, false));
        if (current.isEmpty() || !(current.get() instanceof AmValue.Counter)) {
            throw new DocumentPathException("cannot increment " + path + ": it is "
                    + current.map(DocumentTransaction::describe).orElse("missing") + ", not a counter");
        }
        if (target.key != null) {
            tx.increment(target.parent, target.key, by);
        } else {
            tx.increment(target.parent, target.index, by);
        }
        wrote(target);
    }

    /**
     * Inserts into a list.
     *
     * @param list the list
     * @param index where, from 0 to its length
     * @param value the value, converted through Jackson
     */
    public void insert(DocPath list, int index, Object value) {
        ObjectId listId = resolved(list, AmValue.List.class).id;
        long length = tx.length(listId);
        if (index < 0 || index > length) {
            throw new DocumentPathException(
                    "cannot insert at index " + index + " of " + list + ": its length is " + length);
        }
        paths.forgetBelow(list);
        DocumentWriter.insert(tx, listId, index, mapper.valueToTree(value));
        if (edits != null) {
            edits.inserted(list.segments(), listId, index, tx.get(listId, index).orElseThrow(), tx);
        }
    }

    /**
     * Deletes a map key or a list element.
     *
     * @param path what to delete
     */
    public void delete(DocPath path) {
        Target target = resolve(path);
        if (target.key != null) {
            if (tx.get(target.parent, target.key).isEmpty()) {
                throw new DocumentPathException("cannot delete " + path + ": no such key");
            }
            paths.forget(path);
            tx.delete(target.parent, target.key);
            if (edits != null) {
                edits.deleted(path.segments(), target.parent);
            }
        } else {
            long index = target.checkIndex(tx, false);
            // The elements after it move up one index.
            paths.forgetBelow(path.parent());
            tx.delete(target.parent, index);
            if (edits != null) {
                edits.deleted(path.segments(), target.parent);
            }
        }
    }

    /**
     * Edits collaborative text. Indexes count Unicode code points.
     *
     * @param text a text value
     * @param index where the edit starts
     * @param deleteCount how many code points to remove there
     * @param insert what to insert there
     */
    public void spliceText(DocPath text, int index, int deleteCount, String insert) {
        Objects.requireNonNull(insert, "insert");
        if (index < 0 || deleteCount < 0) {
            throw new DocumentPathException(
                    "cannot splice " + text + " at " + index + " deleting " + deleteCount + ": both must be >= 0");
        }
        ResolvedPaths.Entry resolved = resolved(text, AmValue.Text.class);
        ObjectId textId = resolved.id;
        if (deleteCount > 0 && resolved.textLength < 0) {
            // Automerge would silently delete only up to the end, so a deletion needs the length;
            // asked once, then kept up to date by the splices below.
            resolved.textLength = tx.length(textId);
        }
        if (resolved.textLength >= 0 && (long) index + deleteCount > resolved.textLength) {
            throw new DocumentPathException("cannot splice " + text + " at " + index + " deleting " + deleteCount
                    + ": its length is " + resolved.textLength + " code points");
        }
        try {
            // With the length unknown, Automerge rejects an insertion point past the end itself;
            // asking for the length of every keystroke first would cost a native call each (a
            // tenth of a trace replay).
            tx.spliceText(textId, index, deleteCount, insert);
        } catch (RuntimeException outOfRange) {
            resolved.textLength = tx.length(textId);
            throw new DocumentPathException("cannot splice " + text + " at " + index + " deleting " + deleteCount
                    + ": its length is " + resolved.textLength + " code points (" + outOfRange.getMessage() + ")");
        }
        if (edits != null) {
            edits.splicedText(text.segments(), textId, index, deleteCount, insert);
        }
        if (resolved.textLength >= 0) {
            long inserted = codePoints(insert);
            resolved.textLength = inserted < 0 ? -1 : resolved.textLength - deleteCount + inserted;
        }
    }

    /** Code points as Automerge counts them, or -1 for a lone surrogate (whose count is not certain). */
    /** Tells the view what the document now holds at a target just written. */
    private void wrote(Target target) {
        if (edits == null) {
            return;
        }
        Optional<AmValue> now =
                target.key != null ? tx.get(target.parent, target.key) : tx.get(target.parent, target.index);
        edits.wrote(target.path.segments(), target.parent, now.orElseThrow(), tx);
    }

    private static long codePoints(String text) {
        long count = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return -1;
            }
            count++;
        }
        return count;
    }

    /**
     * The length of a list (elements) or a text (code points), without reading its content.
     *
     * @param path a list or a text
     * @return its length
     */
    public long length(DocPath path) {
        Target target = resolve(path);
        Optional<AmValue> value = target.key != null
                ? tx.get(target.parent, target.key)
                : tx.get(target.parent, (int) target.checkIndex(tx, false));
        if (value.isPresent() && value.get() instanceof AmValue.List list) {
            return tx.length(list.getId());
        } else if (value.isPresent() && value.get() instanceof AmValue.Text text) {
            return tx.length(text.getId());
        }
        throw new DocumentPathException(
                path + " is " + value.map(DocumentTransaction::describe).orElse("missing") + ", which has no length");
    }

    /**
     * Reads a value as it is inside this transaction.
     *
     * @param path what to read
     * @return its value as a tree, or empty if absent
     */
    public Optional<JsonNode> read(DocPath path) {
        if (path.isRoot()) {
            return Optional.of(DocumentReader.readRoot(tx, null));
        }
        Target target = resolve(path);
        Optional<AmValue> value = target.key != null
                ? tx.get(target.parent, target.key)
                : target.index < tx.length(target.parent) ? tx.get(target.parent, target.index) : Optional.empty();
        return value.map(v -> DocumentReader.value(tx, v, null));
    }

    /** The list or text at {@code path}: from the cache, or looked up and remembered. */
    private ResolvedPaths.Entry resolved(DocPath path, Class<? extends AmValue> kind) {
        ResolvedPaths.Entry known = paths.get(path);
        if (known != null && known.kind == kind) {
            return known;
        }
        if (path.isRoot()) {
            throw new DocumentPathException(
                    "the root is a map, not a " + kind.getSimpleName().toLowerCase());
        }
        Target target = resolve(path);
        Optional<AmValue> value = target.key != null
                ? tx.get(target.parent, target.key)
                : tx.get(target.parent, (int) target.checkIndex(tx, false));
        if (value.isEmpty() || !kind.isInstance(value.get())) {
            throw new DocumentPathException(
                    path + " is " + value.map(DocumentTransaction::describe).orElse("missing") + ", not a "
                            + kind.getSimpleName().toLowerCase());
        }
        return paths.remember(path, idOf(value.get()), kind);
    }

    private static ObjectId idOf(AmValue container) {
        if (container instanceof AmValue.Map map) {
            return map.getId();
        } else if (container instanceof AmValue.List list) {
            return list.getId();
        }
        return ((AmValue.Text) container).getId();
    }

    private Target resolve(DocPath path) {
        if (path.isRoot()) {
            throw new DocumentPathException("the root itself cannot be replaced; address one of its keys");
        }
        List<Object> segments = path.segments();
        ObjectId current = ObjectId.ROOT;
        for (int i = 0; i < segments.size() - 1; i++) {
            Object segment = segments.get(i);
            DocPath so = new DocPath(segments.subList(0, i + 1));
            Class<? extends AmValue> wanted =
                    segments.get(i + 1) instanceof String ? AmValue.Map.class : AmValue.List.class;
            ResolvedPaths.Entry known = paths.get(so);
            if (known != null && known.kind == wanted) {
                current = known.id;
                continue;
            }
            Optional<AmValue> next = segment instanceof String key
                    ? tx.get(current, key)
                    : (Integer) segment < tx.length(current) ? tx.get(current, (Integer) segment) : Optional.empty();
            if (next.isEmpty()) {
                throw new DocumentPathException("cannot reach " + path + ": " + so + " is missing");
            } else if (next.get() instanceof AmValue.Map map && wanted == AmValue.Map.class) {
                current = paths.remember(so, map.getId(), wanted).id;
            } else if (next.get() instanceof AmValue.List list && wanted == AmValue.List.class) {
                current = paths.remember(so, list.getId(), wanted).id;
            } else {
                throw new DocumentPathException("cannot reach " + path + ": " + so + " is " + describe(next.get())
                        + ", which has no " + (segments.get(i + 1) instanceof String ? "keys" : "indexes"));
            }
        }
        Object last = path.last();
        return last instanceof String key
                ? new Target(path, current, key, -1)
                : new Target(path, current, null, (Integer) last);
    }

    private static String describe(AmValue value) {
        if (value instanceof AmValue.Map) {
            return "a map";
        } else if (value instanceof AmValue.List) {
            return "a list";
        } else if (value instanceof AmValue.Text) {
            return "text";
        } else if (value instanceof AmValue.Counter) {
            return "a counter";
        }
        return "a scalar (" + value.getClass().getSimpleName().toLowerCase() + ")";
    }

    /** A resolved location: a map key or a list index in a parent object. */
    private record Target(DocPath path, ObjectId parent, String key, int index) {
        long checkIndex(Transaction tx, boolean allowEnd) {
            long length = tx.length(parent);
            if (index >= length + (allowEnd ? 1 : 0)) {
                throw new DocumentPathException(
                        "index " + index + " of " + path.parent() + " is out of range: its length is " + length);
            }
            return index;
        }
    }
}
