package dev.ensemble.collab.ephemeral;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The shared mapper of {@link PayloadCodec#json(Class)}; configured once, then thread-safe. */
final class JsonCodecHolder {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private JsonCodecHolder() {}
}
