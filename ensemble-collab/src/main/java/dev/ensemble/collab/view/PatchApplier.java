package dev.ensemble.collab.view;

import java.util.ArrayList;
import java.util.List;
import org.automerge.AmValue;
import org.automerge.ObjectId;
import org.automerge.Patch;
import org.automerge.PatchAction;
import org.automerge.PathElement;
import org.automerge.Prop;

/**
 * Applies Automerge patches to a view tree. What automerge-java 0.0.7 gives, as found by probing
 * it: the patches of one log in order, grouped by object, parents before children; a patch's path
 * leads from the root to its object through (parent object id, key or index) pairs as the
 * document is after the whole log, so by the time a child's patches come its ancestors already
 * have their final shape; a new map, list or text arrives empty and is filled by the patches
 * after it; text positions are code points. The object a patch's path leads to is checked against
 * the patch's object id (one native call per patch: automerge-java compares ObjectIds in native
 * code), so a patch that does not fit raises {@link ViewMismatchException} instead of changing
 * the wrong object.
 */
final class PatchApplier {
    private PatchApplier() {}

    static MapObject apply(MapObject root, List<Patch> patches) {
        MapObject at = root;
        for (Patch patch : patches) {
            Node changed = apply(at, patch.getPath(), 0, patch);
            if (!(changed instanceof MapObject map)) {
                throw new ViewMismatchException("a patch replaced the root");
            }
            at = map;
        }
        return at;
    }

    private static Node apply(Node node, ArrayList<PathElement> path, int depth, Patch patch) {
        if (depth == path.size()) {
            checkId(node, patch.getObj());
            return act(node, patch.getAction());
        }
        Prop prop = path.get(depth).getProp();
        if (node instanceof MapObject map && prop instanceof Prop.Key key) {
            Node child = map.get(key.getValue());
            if (child == null) {
                throw new ViewMismatchException("no key " + key.getValue() + " on the path of a patch");
            }
            return map.with(key.getValue(), apply(child, path, depth + 1, patch));
        } else if (node instanceof ListObject list && prop instanceof Prop.Index index) {
            int i = index(index.getValue(), list.size());
            return list.set(i, apply(list.get(i), path, depth + 1, patch));
        }
        throw new ViewMismatchException("a patch's path steps by " + prop + " through " + node.getClass());
    }

    private static Node act(Node node, PatchAction action) {
        if (action instanceof PatchAction.SpliceText splice && node instanceof TextObject text) {
            int at = (int) splice.getIndex();
            return new TextObject(text.id(), splice(text.rope(), at, 0, splice.getText()));
        } else if (action instanceof PatchAction.DeleteList delete) {
            int at = (int) delete.getIndex();
            int count = (int) delete.getLength();
            if (node instanceof TextObject text) {
                return new TextObject(text.id(), splice(text.rope(), at, count, ""));
            } else if (node instanceof ListObject list) {
                return list.delete(index(at, list.size() + 1), count);
            }
        } else if (action instanceof PatchAction.PutMap put && node instanceof MapObject map) {
            return map.with(put.getKey(), TreeReader.fromPatch(put.getValue()));
        } else if (action instanceof PatchAction.DeleteMap delete && node instanceof MapObject map) {
            return map.without(delete.getKey());
        } else if (action instanceof PatchAction.PutList put && node instanceof ListObject list) {
            return list.set(index(put.getIndex(), list.size()), TreeReader.fromPatch(put.getValue()));
        } else if (action instanceof PatchAction.Insert insert && node instanceof ListObject list) {
            List<AmValue> values = insert.getValues();
            Node[] nodes = new Node[values.size()];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = TreeReader.fromPatch(values.get(i));
            }
            return list.insert(index(insert.getIndex(), list.size() + 1), nodes);
        } else if (action instanceof PatchAction.Increment increment) {
            return increment(node, increment.getProperty(), increment.getValue());
        } else if (action instanceof PatchAction.Mark) {
            // Marks (rich-text formatting) are not part of the JSON view.
            return node;
        }
        throw new ViewMismatchException("the view cannot apply "
                + action.getClass().getSimpleName() + " to " + node.getClass().getSimpleName());
    }

    private static Node increment(Node node, Prop prop, long by) {
        if (node instanceof MapObject map && prop instanceof Prop.Key key) {
            return map.with(key.getValue(), Counters.add(map.get(key.getValue()), by));
        } else if (node instanceof ListObject list && prop instanceof Prop.Index index) {
            int i = index(index.getValue(), list.size());
            return list.set(i, Counters.add(list.get(i), by));
        }
        throw new ViewMismatchException(
                "an increment by " + prop + " on " + node.getClass().getSimpleName());
    }

    private static Rope splice(Rope rope, int at, int delete, String insert) {
        try {
            return rope.splice(at, delete, insert);
        } catch (IndexOutOfBoundsException e) {
            throw new ViewMismatchException(e.getMessage());
        }
    }

    private static int index(long index, int bound) {
        if (index < 0 || index >= bound) {
            throw new ViewMismatchException("index " + index + " out of range (bound " + bound + ")");
        }
        return (int) index;
    }

    private static void checkId(Node node, ObjectId expected) {
        ObjectId actual = node instanceof MapObject map
                ? map.id()
                : node instanceof ListObject list ? list.id() : node instanceof TextObject text ? text.id() : null;
        if (actual == null || !sameObject(actual, expected)) {
            throw new ViewMismatchException("a patch names another object than the view has at its path");
        }
    }

    private static boolean sameObject(ObjectId a, ObjectId b) {
        return a == b || a.equals(b);
    }
}
