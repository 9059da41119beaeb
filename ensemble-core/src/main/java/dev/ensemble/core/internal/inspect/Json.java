package dev.ensemble.core.internal.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.core.inspect.ProtocolLines;

/**
 * INTERNAL API: the one {@link ObjectMapper} of the inspector and the protocol's line shapes
 * (hello, reply, error, event). Thread-safe.
 */
public final class Json {
    /** Shared: an ObjectMapper is thread-safe once configured. */
    public static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {}

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** @return {@code {"id":…,"ok":true,"result":…}} */
    public static String reply(long id, JsonNode result) {
        ObjectNode line = object();
        line.put("id", id);
        line.put("ok", true);
        line.set("result", result);
        return write(line);
    }

    /** @param id the request's id, or null if it could not be read */
    public static String error(Long id, String code, String message) {
        return ProtocolLines.error(id, code, message);
    }

    /** @return {@code {"id":…,"event":…}} */
    public static String event(long id, JsonNode event) {
        ObjectNode line = object();
        line.put("id", id);
        line.set("event", event);
        return write(line);
    }

    /** Writes a tree of nodes, which always serializes. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialize", e);
        }
    }

    /** @return {@code text} cut to {@code max} characters, with an ellipsis when cut */
    public static String cut(String text, int max) {
        if (text == null) {
            return null;
        }
        String oneLine = text.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }
}
