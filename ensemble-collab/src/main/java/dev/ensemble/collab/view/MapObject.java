package dev.ensemble.collab.view;

import java.util.Arrays;
import org.automerge.ObjectId;

/**
 * An Automerge map: keys in {@link String#compareTo} order with their values. A change copies the
 * two arrays (a map's keys are usually few) and shares every value it does not touch.
 */
final class MapObject implements Node {
    private final ObjectId id;
    private final String[] keys;
    private final Node[] values;

    MapObject(ObjectId id, String[] keys, Node[] values) {
        this.id = id;
        this.keys = keys;
        this.values = values;
    }

    static MapObject empty(ObjectId id) {
        return new MapObject(id, new String[0], new Node[0]);
    }

    ObjectId id() {
        return id;
    }

    int size() {
        return keys.length;
    }

    String key(int i) {
        return keys[i];
    }

    Node value(int i) {
        return values[i];
    }

    /** @return the value of a key, or null */
    Node get(String key) {
        int at = Arrays.binarySearch(keys, key);
        return at >= 0 ? values[at] : null;
    }

    /** @return this map with the key set to the value */
    MapObject with(String key, Node value) {
        int at = Arrays.binarySearch(keys, key);
        if (at >= 0) {
            if (values[at] == value) {
                return this;
            }
            Node[] changed = values.clone();
            changed[at] = value;
            return new MapObject(id, keys, changed);
        }
        int insert = -at - 1;
        String[] longerKeys = new String[keys.length + 1];
        Node[] longerValues = new Node[values.length + 1];
        System.arraycopy(keys, 0, longerKeys, 0, insert);
        System.arraycopy(values, 0, longerValues, 0, insert);
        longerKeys[insert] = key;
        longerValues[insert] = value;
        System.arraycopy(keys, insert, longerKeys, insert + 1, keys.length - insert);
        System.arraycopy(values, insert, longerValues, insert + 1, values.length - insert);
        return new MapObject(id, longerKeys, longerValues);
    }

    /** @return this map without the key (itself if the key is absent) */
    MapObject without(String key) {
        int at = Arrays.binarySearch(keys, key);
        if (at < 0) {
            return this;
        }
        String[] shorterKeys = new String[keys.length - 1];
        Node[] shorterValues = new Node[values.length - 1];
        System.arraycopy(keys, 0, shorterKeys, 0, at);
        System.arraycopy(values, 0, shorterValues, 0, at);
        System.arraycopy(keys, at + 1, shorterKeys, at, keys.length - at - 1);
        System.arraycopy(values, at + 1, shorterValues, at, values.length - at - 1);
        return new MapObject(id, shorterKeys, shorterValues);
    }
}
