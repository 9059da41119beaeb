package dev.ensemble.doc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.collab.CollaborationActor;
import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.DocPath;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** A document seen as JSON: the command line's one actor besides the connection. */
final class JsonDoc extends CollaborationActor<JsonNode> implements JsonDocActions {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    JsonDoc(CollaborationSettings<JsonNode> settings) {
        super(settings);
    }

    @Override
    public CompletableFuture<Void> set(DocPath path, String json) {
        JsonNode value;
        try {
            value = MAPPER.readTree(json);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not JSON: " + json, e));
        }
        change(tx -> tx.put(path, value));
        return CompletableFuture.completedFuture(null);
    }
}
