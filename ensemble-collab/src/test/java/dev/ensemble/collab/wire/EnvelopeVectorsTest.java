package dev.ensemble.collab.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Checks the committed test vectors both ways: bytes to fields and fields to bytes. */
class EnvelopeVectorsTest {

    private static final EnvelopeCodec CODEC = EnvelopeCodec.withMaxFrameSize(64 * 1024);
    private static final HexFormat HEX = HexFormat.of();

    static JsonNode vectors() throws IOException {
        try (InputStream in = EnvelopeVectorsTest.class.getResourceAsStream("envelope-vectors.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static Envelope expectedEnvelope(JsonNode vector) {
        EnvelopeKind kind = EnvelopeKind.ofWireName(vector.get("kind").asText());
        JsonNode chunk = vector.get("chunk");
        ChunkHeader header = chunk == null
                ? null
                : new ChunkHeader(
                        chunk.get("messageId").asInt(),
                        chunk.get("index").asInt(),
                        chunk.get("count").asInt(),
                        chunk.get("totalLength").asInt());
        return new Envelope(
                kind,
                vector.get("documentId").asText(),
                header,
                HEX.parseHex(vector.get("payloadHex").asText()));
    }

    @TestFactory
    Stream<DynamicTest> validVectorsDecodeToTheirFieldsAndEncodeToTheirBytes() throws IOException {
        JsonNode root = vectors();
        assertEquals(EnvelopeCodec.VERSION, root.get("version").asInt());
        return StreamSupport.stream(root.get("valid").spliterator(), false)
                .map(vector -> DynamicTest.dynamicTest(vector.get("name").asText(), () -> {
                    byte[] frame = HEX.parseHex(vector.get("hex").asText());
                    Envelope expected = expectedEnvelope(vector);
                    assertEquals(expected, CODEC.decode(frame));
                    assertArrayEquals(frame, EnvelopeCodec.encode(expected));
                    assertEquals(frame.length, EnvelopeCodec.encodedSize(expected));
                }));
    }

    @TestFactory
    Stream<DynamicTest> invalidVectorsAreRejectedWithTheirErrorAtTheirOffset() throws IOException {
        return StreamSupport.stream(vectors().get("invalid").spliterator(), false)
                .map(vector -> DynamicTest.dynamicTest(vector.get("name").asText(), () -> {
                    byte[] frame = HEX.parseHex(vector.get("hex").asText());
                    EnvelopeException error = assertThrows(EnvelopeException.class, () -> CODEC.decode(frame));
                    assertEquals(vector.get("error").asText(), error.getClass().getSimpleName(), error.getMessage());
                    assertEquals(vector.get("offset").asInt(), error.offset(), error.getMessage());
                    assertTrue(error.getMessage().contains("offset " + error.offset()), error.getMessage());
                }));
    }
}
