package dev.ensemble.collab.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Optional;
import org.automerge.AmValue;
import org.automerge.MapEntry;
import org.automerge.ObjectId;
import org.automerge.Read;

/**
 * Reads a document, or one object of it, into view nodes: the full decode that the view starts
 * from and falls back to, and the reading of the values a local edit wrote. The scalars are the
 * Jackson nodes that {@code DocumentReader} makes, so a tree read here and a Jackson tree read
 * there are equal. Called only inside the owning actor's turn.
 */
final class TreeReader {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Scalar NULL = new Scalar(NODES.nullNode());

    private TreeReader() {}

    static MapObject readMap(Read doc, ObjectId map) {
        Optional<MapEntry[]> entries = doc.mapEntries(map);
        MapEntry[] read = entries.orElse(new MapEntry[0]);
        String[] keys = new String[read.length];
        Node[] values = new Node[read.length];
        for (int i = 0; i < read.length; i++) {
            keys[i] = read[i].getKey();
            values[i] = value(doc, read[i].getValue());
        }
        // Automerge orders keys by their UTF-8 bytes; the view's maps search in String order.
        if (!sorted(keys)) {
            MapObject sorted = MapObject.empty(map);
            for (int i = 0; i < keys.length; i++) {
                sorted = sorted.with(keys[i], values[i]);
            }
            return sorted;
        }
        return new MapObject(map, keys, values);
    }

    static Node value(Read doc, AmValue value) {
        if (value instanceof AmValue.Map map) {
            return readMap(doc, map.getId());
        } else if (value instanceof AmValue.List list) {
            AmValue[] items = doc.listItems(list.getId()).orElse(new AmValue[0]);
            Node[] nodes = new Node[items.length];
            for (int i = 0; i < items.length; i++) {
                nodes[i] = value(doc, items[i]);
            }
            return new ListObject(list.getId(), nodes);
        } else if (value instanceof AmValue.Text text) {
            return new TextObject(text.getId(), Rope.of(doc.text(text.getId()).orElse("")));
        }
        return scalar(value);
    }

    /**
     * The value a patch carries: objects start empty (their content comes in the patches that
     * follow), scalars as they are.
     */
    static Node fromPatch(AmValue value) {
        if (value instanceof AmValue.Map map) {
            return MapObject.empty(map.getId());
        } else if (value instanceof AmValue.List list) {
            return ListObject.empty(list.getId());
        } else if (value instanceof AmValue.Text text) {
            return new TextObject(text.getId(), Rope.EMPTY);
        }
        return scalar(value);
    }

    static Scalar scalar(AmValue value) {
        JsonNode node;
        if (value instanceof AmValue.Str str) {
            node = NODES.textNode(str.getValue());
        } else if (value instanceof AmValue.Int i) {
            node = NODES.numberNode(i.getValue());
        } else if (value instanceof AmValue.UInt u) {
            node = NODES.numberNode(u.getValue());
        } else if (value instanceof AmValue.F64 f) {
            node = NODES.numberNode(f.getValue());
        } else if (value instanceof AmValue.Counter c) {
            node = NODES.numberNode(c.getValue());
        } else if (value instanceof AmValue.Bool b) {
            node = NODES.booleanNode(b.getValue());
        } else if (value instanceof AmValue.Bytes bytes) {
            node = NODES.binaryNode(bytes.getValue());
        } else if (value instanceof AmValue.Timestamp t) {
            node = NODES.numberNode(t.getValue().getTime());
        } else {
            return NULL;
        }
        return new Scalar(node);
    }

    private static boolean sorted(String[] keys) {
        for (int i = 1; i < keys.length; i++) {
            if (keys[i - 1].compareTo(keys[i]) >= 0) {
                return false;
            }
        }
        return true;
    }
}
