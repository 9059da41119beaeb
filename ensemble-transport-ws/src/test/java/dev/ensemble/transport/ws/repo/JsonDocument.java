package dev.ensemble.transport.ws.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.collab.CollaborationActor;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.DocPath;

/** A document seen as JSON, with the edits the interop tests make. */
final class JsonDocument extends CollaborationActor<JsonNode> implements JsonDocumentActions {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    JsonDocument(CollaborationSettings<JsonNode> settings) {
        super(settings);
    }

    @Override
    public void put(String key, String json) {
        JsonNode value;
        try {
            value = MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
        change(tx -> tx.put(DocPath.of(key), value));
    }

    @Override
    public void insertText(String key, int index, String text) {
        change(tx -> tx.spliceText(DocPath.of(key), index, 0, text));
    }
}
