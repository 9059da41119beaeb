package dev.ensemble.collab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.automerge.AmValue;
import org.automerge.MapEntry;
import org.automerge.NewValue;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;

/**
 * Turns Jackson trees into Automerge operations inside a transaction: creating values, and
 * diffing a document against a desired tree so that only what changed becomes operations.
 *
 * <h2>Text rule</h2>
 * A new string becomes an Automerge <em>Text</em> object (as the JavaScript library does by
 * default, so browser peers see the same shape); later changes to it are spliced, so concurrent
 * edits to different parts of it both survive. A string that already exists as a scalar
 * (created with {@link DocumentTransaction#putScalar}) stays a scalar and is replaced whole,
 * last writer wins: use scalars for identifiers and enumerations.
 *
 * <h2>Other rules</h2>
 * Integers are 64-bit signed, other numbers doubles, binary bytes. A number stored as a counter
 * changes by increments, so concurrent increments add up. Lists are diffed by common prefix and
 * suffix; the differing middle is patched element by element where both sides have an element
 * of the same kind, and otherwise deleted and inserted. Called only inside the owning actor's turn.
 */
final class DocumentWriter {
    static {
        AutomergeRuntime.ensureLoaded();
    }

    private DocumentWriter() {}

    /** Sets {@code value} at key {@code key} of map {@code map}, creating nested objects. */
    static void put(Transaction tx, ObjectId map, String key, JsonNode value) {
        if (value.isObject()) {
            ObjectId child = tx.set(map, key, ObjectType.MAP);
            fillMap(tx, child, (ObjectNode) value);
        } else if (value.isArray()) {
            ObjectId child = tx.set(map, key, ObjectType.LIST);
            fillList(tx, child, (ArrayNode) value);
        } else if (value.isTextual()) {
            ObjectId text = tx.set(map, key, ObjectType.TEXT);
            tx.spliceText(text, 0, 0, value.textValue());
        } else {
            tx.set(map, key, scalar(value));
        }
    }

    /** Sets {@code value} at index {@code index} of list {@code list}, replacing what is there. */
    static void set(Transaction tx, ObjectId list, long index, JsonNode value) {
        if (value.isObject()) {
            fillMap(tx, tx.set(list, index, ObjectType.MAP), (ObjectNode) value);
        } else if (value.isArray()) {
            fillList(tx, tx.set(list, index, ObjectType.LIST), (ArrayNode) value);
        } else if (value.isTextual()) {
            tx.spliceText(tx.set(list, index, ObjectType.TEXT), 0, 0, value.textValue());
        } else {
            tx.set(list, index, scalar(value));
        }
    }

    /** Inserts {@code value} before index {@code index} of list {@code list}. */
    static void insert(Transaction tx, ObjectId list, long index, JsonNode value) {
        if (value.isObject()) {
            fillMap(tx, tx.insert(list, index, ObjectType.MAP), (ObjectNode) value);
        } else if (value.isArray()) {
            fillList(tx, tx.insert(list, index, ObjectType.LIST), (ArrayNode) value);
        } else if (value.isTextual()) {
            tx.spliceText(tx.insert(list, index, ObjectType.TEXT), 0, 0, value.textValue());
        } else {
            tx.insert(list, index, scalar(value));
        }
    }

    private static void fillMap(Transaction tx, ObjectId map, ObjectNode value) {
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            put(tx, map, field.getKey(), field.getValue());
        }
    }

    private static void fillList(Transaction tx, ObjectId list, ArrayNode value) {
        for (int i = 0; i < value.size(); i++) {
            insert(tx, list, i, value.get(i));
        }
    }

    static NewValue scalar(JsonNode value) {
        if (value.isNull() || value.isMissingNode()) {
            return NewValue.NULL;
        } else if (value.isBoolean()) {
            return NewValue.bool(value.booleanValue());
        } else if (value.isIntegralNumber() && value.canConvertToLong()) {
            return NewValue.integer(value.longValue());
        } else if (value.isNumber()) {
            return NewValue.f64(value.doubleValue());
        } else if (value.isBinary()) {
            try {
                return NewValue.bytes(value.binaryValue());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("unreadable binary value", e);
            }
        } else if (value.isTextual()) {
            return NewValue.str(value.textValue());
        }
        throw new IllegalArgumentException("cannot store a " + value.getNodeType() + " as a scalar: " + value);
    }

    /** Changes map {@code map} into {@code target}: puts what differs, deletes what is gone. */
    static void diffMap(Transaction tx, ObjectId map, ObjectNode target) {
        Map<String, AmValue> existing = new HashMap<>();
        for (MapEntry entry : tx.mapEntries(map).orElse(new MapEntry[0])) {
            existing.put(entry.getKey(), entry.getValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = target.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            AmValue current = existing.remove(field.getKey());
            if (current == null) {
                put(tx, map, field.getKey(), field.getValue());
            } else if (!diffInPlace(tx, current, field.getValue())) {
                if (!sameScalar(current, field.getValue())) {
                    if (current instanceof AmValue.Str && field.getValue().isTextual()) {
                        tx.set(map, field.getKey(), field.getValue().textValue());
                    } else if (current instanceof AmValue.Counter counter
                            && field.getValue().isIntegralNumber()) {
                        tx.increment(map, field.getKey(), field.getValue().longValue() - counter.getValue());
                    } else {
                        put(tx, map, field.getKey(), field.getValue());
                    }
                }
            }
        }
        for (String gone : existing.keySet()) {
            tx.delete(map, gone);
        }
    }

    /** Changes list {@code list} into {@code target} with few operations. */
    static void diffList(Transaction tx, ObjectId list, ArrayNode target) {
        AmValue[] items = tx.listItems(list).orElse(new AmValue[0]);
        int oldSize = items.length;
        int newSize = target.size();
        int prefix = 0;
        while (prefix < oldSize && prefix < newSize && equal(tx, items[prefix], target.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < oldSize - prefix
                && suffix < newSize - prefix
                && equal(tx, items[oldSize - 1 - suffix], target.get(newSize - 1 - suffix))) {
            suffix++;
        }
        int oldMiddle = oldSize - prefix - suffix;
        int newMiddle = newSize - prefix - suffix;
        int paired = oldMiddle == newMiddle ? oldMiddle : 0;
        for (int i = 0; i < paired; i++) {
            int index = prefix + i;
            if (!diffInPlace(tx, items[index], target.get(index))) {
                if (items[index] instanceof AmValue.Counter counter
                        && target.get(index).isIntegralNumber()) {
                    tx.increment(list, index, target.get(index).longValue() - counter.getValue());
                } else {
                    set(tx, list, index, target.get(index));
                }
            }
        }
        if (paired == 0) {
            for (int i = 0; i < oldMiddle; i++) {
                tx.delete(list, prefix);
            }
            for (int i = 0; i < newMiddle; i++) {
                insert(tx, list, prefix + i, target.get(prefix + i));
            }
        }
    }

    /** Splices text object {@code text} into {@code target} by common prefix and suffix (code points). */
    static void diffText(Transaction tx, ObjectId text, String target) {
        String current = tx.text(text).orElse("");
        if (current.equals(target)) {
            return;
        }
        int[] before = current.codePoints().toArray();
        int[] after = target.codePoints().toArray();
        int prefix = 0;
        while (prefix < before.length && prefix < after.length && before[prefix] == after[prefix]) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < before.length - prefix
                && suffix < after.length - prefix
                && before[before.length - 1 - suffix] == after[after.length - 1 - suffix]) {
            suffix++;
        }
        String inserted = new String(after, prefix, after.length - prefix - suffix);
        tx.spliceText(text, prefix, before.length - prefix - suffix, inserted);
    }

    /**
     * Diffs a container in place when the document and the target have the same kind there.
     *
     * @return true if handled (the value is now the target), false if the caller must replace it
     */
    private static boolean diffInPlace(Transaction tx, AmValue current, JsonNode target) {
        if (current instanceof AmValue.Map map && target.isObject()) {
            diffMap(tx, map.getId(), (ObjectNode) target);
            return true;
        } else if (current instanceof AmValue.List list && target.isArray()) {
            diffList(tx, list.getId(), (ArrayNode) target);
            return true;
        } else if (current instanceof AmValue.Text text && target.isTextual()) {
            diffText(tx, text.getId(), target.textValue());
            return true;
        }
        return false;
    }

    private static boolean sameScalar(AmValue current, JsonNode target) {
        return !(current instanceof AmValue.Map || current instanceof AmValue.List || current instanceof AmValue.Text)
                && JsonValues.same(DocumentReader.value(null, current, null), target);
    }

    private static boolean equal(Transaction tx, AmValue current, JsonNode target) {
        return JsonValues.same(DocumentReader.value(tx, current, null), target);
    }
}
