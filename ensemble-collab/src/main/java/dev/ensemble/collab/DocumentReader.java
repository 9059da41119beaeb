package dev.ensemble.collab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.MapEntry;
import org.automerge.ObjectId;
import org.automerge.Read;

/**
 * Reads an Automerge document (or a transaction's view of one) into a Jackson tree: maps become
 * objects, lists arrays, text and strings strings, counters and integers numbers, bytes binary,
 * timestamps epoch milliseconds. Called only inside the owning actor's turn.
 */
final class DocumentReader {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static {
        AutomergeRuntime.ensureLoaded();
    }

    private DocumentReader() {}

    /** The whole document, now ({@code heads} null) or as of the given heads. */
    static ObjectNode readRoot(Read doc, ChangeHash[] heads) {
        return readMap(doc, ObjectId.ROOT, heads);
    }

    static ObjectNode readMap(Read doc, ObjectId map, ChangeHash[] heads) {
        ObjectNode node = NODES.objectNode();
        Optional<MapEntry[]> entries = heads == null ? doc.mapEntries(map) : doc.mapEntries(map, heads);
        for (MapEntry entry : entries.orElse(new MapEntry[0])) {
            node.set(entry.getKey(), value(doc, entry.getValue(), heads));
        }
        return node;
    }

    static ArrayNode readList(Read doc, ObjectId list, ChangeHash[] heads) {
        ArrayNode node = NODES.arrayNode();
        Optional<AmValue[]> items = heads == null ? doc.listItems(list) : doc.listItems(list, heads);
        for (AmValue item : items.orElse(new AmValue[0])) {
            node.add(value(doc, item, heads));
        }
        return node;
    }

    static String readText(Read doc, ObjectId text, ChangeHash[] heads) {
        return (heads == null ? doc.text(text) : doc.text(text, heads)).orElse("");
    }

    static JsonNode value(Read doc, AmValue value, ChangeHash[] heads) {
        if (value instanceof AmValue.Map map) {
            return readMap(doc, map.getId(), heads);
        } else if (value instanceof AmValue.List list) {
            return readList(doc, list.getId(), heads);
        } else if (value instanceof AmValue.Text text) {
            return NODES.textNode(readText(doc, text.getId(), heads));
        } else if (value instanceof AmValue.Str str) {
            return NODES.textNode(str.getValue());
        } else if (value instanceof AmValue.Int i) {
            return NODES.numberNode(i.getValue());
        } else if (value instanceof AmValue.UInt u) {
            return NODES.numberNode(u.getValue());
        } else if (value instanceof AmValue.F64 f) {
            return NODES.numberNode(f.getValue());
        } else if (value instanceof AmValue.Counter c) {
            return NODES.numberNode(c.getValue());
        } else if (value instanceof AmValue.Bool b) {
            return NODES.booleanNode(b.getValue());
        } else if (value instanceof AmValue.Bytes bytes) {
            return NODES.binaryNode(bytes.getValue());
        } else if (value instanceof AmValue.Timestamp t) {
            return NODES.numberNode(t.getValue().getTime());
        }
        return NODES.nullNode();
    }
}
