package dev.ensemble.collab.view;

import java.util.List;
import java.util.function.UnaryOperator;
import org.automerge.AmValue;
import org.automerge.ObjectId;
import org.automerge.Read;

/**
 * INTERNAL API: the view's side of one local transaction. The transaction reports each edit it
 * made to the document, and the edit is made to a tentative tree here; {@link ViewTree#commit}
 * adopts that tree when the transaction commits, and a rolled-back transaction's tree is simply
 * dropped. A local edit needs no patch from Automerge: it is the newest write at its path, so
 * what it wrote is what the document now holds there. Text splices, the edits that come one per
 * keystroke, cost no native call at all; a write of another value reads that one value back (it
 * may be a new object with content).
 *
 * <p>An edit that does not fit the tree (which would be a bug) marks the edits broken instead of
 * throwing into the user's transaction; the view is then read again from the document.
 *
 * <p><em>Not thread-safe</em>: used inside the owning actor's turn, during one transaction.
 * Paths are lists of map keys (String) and list indexes (Integer), as in {@code DocPath}.
 */
public final class LocalEdits {
    private MapObject root;
    private boolean broken;

    LocalEdits(MapObject root) {
        this.root = root;
    }

    MapObject root() {
        return broken ? null : root;
    }

    /**
     * The text at {@code path} (object {@code text}) had {@code delete} code points at
     * {@code index} replaced by {@code insert}.
     */
    public void splicedText(List<Object> path, ObjectId text, int index, int delete, String insert) {
        // The object id is not compared: comparing ObjectIds is a native call, and the transaction
        // resolved this path in the same document a moment ago. Keystrokes come through here.
        change(path, path.size(), node -> {
            if (!(node instanceof TextObject object)) {
                throw new ViewMismatchException("no text at " + path);
            }
            return new TextObject(object.id(), object.rope().splice(index, delete, insert));
        });
    }

    /**
     * The value at {@code path} in {@code container} was written; it is now {@code now}.
     *
     * @param tx the transaction, to read the value if it is an object
     */
    public void wrote(List<Object> path, ObjectId container, AmValue now, Read tx) {
        Node value = TreeReader.value(tx, now);
        Object last = path.get(path.size() - 1);
        change(path, path.size() - 1, node -> {
            checkContainer(node, container, path);
            if (node instanceof MapObject map && last instanceof String key) {
                return map.with(key, value);
            } else if (node instanceof ListObject list && last instanceof Integer index) {
                return list.set(index, value);
            }
            throw new ViewMismatchException(
                    "cannot write " + path + " in " + node.getClass().getSimpleName());
        });
    }

    /** {@code value} was inserted at {@code index} of the list at {@code path} (object {@code list}). */
    public void inserted(List<Object> path, ObjectId list, int index, AmValue value, Read tx) {
        Node node = TreeReader.value(tx, value);
        change(path, path.size(), at -> {
            checkContainer(at, list, path);
            return ((ListObject) at).insert(index, new Node[] {node});
        });
    }

    /** The key or index at {@code path} in {@code container} was deleted. */
    public void deleted(List<Object> path, ObjectId container) {
        Object last = path.get(path.size() - 1);
        change(path, path.size() - 1, node -> {
            checkContainer(node, container, path);
            if (node instanceof MapObject map && last instanceof String key) {
                return map.without(key);
            } else if (node instanceof ListObject list && last instanceof Integer index) {
                return list.delete(index, 1);
            }
            throw new ViewMismatchException(
                    "cannot delete " + path + " in " + node.getClass().getSimpleName());
        });
    }

    private void change(List<Object> path, int depth, UnaryOperator<Node> change) {
        if (broken) {
            return;
        }
        try {
            root = (MapObject) update(root, path, 0, depth, change);
        } catch (RuntimeException doesNotFit) {
            broken = true;
        }
    }

    /** @return {@code node} with the node at {@code path[at, depth)} below it replaced by {@code change} of it */
    static Node update(Node node, List<Object> path, int at, int depth, UnaryOperator<Node> change) {
        if (at == depth) {
            return change.apply(node);
        }
        Object segment = path.get(at);
        if (node instanceof MapObject map && segment instanceof String key) {
            Node child = map.get(key);
            if (child == null) {
                throw new ViewMismatchException("no key " + key + " on " + path);
            }
            return map.with(key, update(child, path, at + 1, depth, change));
        } else if (node instanceof ListObject list && segment instanceof Integer index) {
            return list.set(index, update(list.get(index), path, at + 1, depth, change));
        }
        throw new ViewMismatchException("cannot step by " + segment + " on " + path);
    }

    private static void checkContainer(Node node, ObjectId expected, List<Object> path) {
        ObjectId actual = node instanceof MapObject map ? map.id() : node instanceof ListObject list ? list.id() : null;
        if (actual == null || !(actual == expected || actual.equals(expected))) {
            throw new ViewMismatchException("the view has another object than " + expected + " at " + path);
        }
    }
}
