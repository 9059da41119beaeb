package dev.ensemble.collab.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * View nodes as Jackson trees, for the parts of a typed view that Jackson decodes (a changed
 * list, a component of a type the view does not build itself) and for tests. Costs the size of
 * the subtree converted.
 */
final class JsonTrees {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {}

    static JsonNode toJackson(Node node) {
        if (node instanceof MapObject map) {
            ObjectNode object = NODES.objectNode();
            for (int i = 0; i < map.size(); i++) {
                object.set(map.key(i), toJackson(map.value(i)));
            }
            return object;
        } else if (node instanceof ListObject list) {
            ArrayNode array = NODES.arrayNode(list.size());
            for (int i = 0; i < list.size(); i++) {
                array.add(toJackson(list.get(i)));
            }
            return array;
        } else if (node instanceof TextObject text) {
            return NODES.textNode(text.rope().toString());
        }
        return ((Scalar) node).value();
    }
}
