package dev.ensemble.collab.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.automerge.ObjectId;

/**
 * Where the view's text objects are, by the id a change names them with ({@code counter@actorhex}).
 * automerge-java's {@code ObjectId} hides its bytes, and turning one into that string is a native
 * call; so the strings are asked for once, when the tree is searched, and a path found before is
 * trusted again only after checking that it still leads to the same {@code ObjectId} instance
 * (edits keep a text's instance; a text read again or made anew has another one).
 *
 * <p><em>Not thread-safe</em>: owned by one {@link ViewTree}, used in its actor's turns.
 */
final class TextPaths {
    /** A text object and the path that leads to it (map keys as String, list indexes as Integer). */
    record Found(List<Object> path, TextObject text) {}

    private record Entry(List<Object> path, ObjectId id) {}

    private final Map<String, Entry> byId = new HashMap<>();
    /** The tree last searched whole: not searched again for an id it did not hold. */
    private MapObject searched;

    /** @return the text object with this id in {@code root}, or null if there is none */
    Found find(MapObject root, String id) {
        Found found = at(root, byId.get(id));
        if (found == null && searched != root) {
            searched = root;
            byId.clear();
            index(root, new ArrayList<>());
            found = at(root, byId.get(id));
        }
        return found;
    }

    private static Found at(MapObject root, Entry entry) {
        if (entry == null) {
            return null;
        }
        Node node = root;
        for (Object step : entry.path()) {
            if (node instanceof MapObject map && step instanceof String key) {
                node = map.get(key);
            } else if (node instanceof ListObject list && step instanceof Integer index && index < list.size()) {
                node = list.get(index);
            } else {
                return null;
            }
        }
        return node instanceof TextObject text && text.id() == entry.id() ? new Found(entry.path(), text) : null;
    }

    private void index(Node node, List<Object> path) {
        if (node instanceof TextObject text) {
            byId.put(text.id().toString(), new Entry(List.copyOf(path), text.id()));
        } else if (node instanceof MapObject map) {
            for (int i = 0; i < map.size(); i++) {
                path.add(map.key(i));
                index(map.value(i), path);
                path.remove(path.size() - 1);
            }
        } else if (node instanceof ListObject list) {
            for (int i = 0; i < list.size(); i++) {
                path.add(i);
                index(list.get(i), path);
                path.remove(path.size() - 1);
            }
        }
    }
}
