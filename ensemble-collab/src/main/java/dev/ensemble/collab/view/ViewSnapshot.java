package dev.ensemble.collab.view;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** INTERNAL API: one version of a document's {@link ViewTree}. Immutable; thread-safe. */
public final class ViewSnapshot {
    private final MapObject root;

    ViewSnapshot(MapObject root) {
        this.root = root;
    }

    MapObject root() {
        return root;
    }

    /** @return this version as a Jackson tree (costs the document's size; for tests and tools) */
    public ObjectNode toJackson() {
        return (ObjectNode) JsonTrees.toJackson(root);
    }
}
