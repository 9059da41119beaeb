package dev.ensemble.remote.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.remote.wire.FrameException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private static final FrameCodec CODEC = FrameCodec.withMaxFrameSize(64 * 1024);

    @Test
    void everyValidVectorDecodesToItsFieldsAndEncodesToItsBytes() throws Exception {
        JsonNode vectors = vectors();
        assertTrue(vectors.get("valid").size() >= 12, "the vector file lists the valid frames");
        for (JsonNode vector : vectors.get("valid")) {
            byte[] bytes = hex(vector.get("hex").asText());
            Frame expected = frameOf(vector.get("frame"));
            assertEquals(expected, CODEC.decode(bytes), vector.get("name").asText());
            assertArrayEquals(
                    bytes, FrameCodec.encode(expected), vector.get("name").asText());
        }
    }

    @Test
    void everyInvalidVectorIsRejectedWithItsProblemAndOffset() throws Exception {
        for (JsonNode vector : vectors().get("invalid")) {
            String name = vector.get("name").asText();
            FrameException error = assertThrows(
                    FrameException.class,
                    () -> CODEC.decode(hex(vector.get("hex").asText())),
                    name);
            assertEquals(Problem.valueOf(vector.get("problem").asText()), error.problem(), name + ": " + error);
            assertEquals(vector.get("offset").asInt(), error.offset(), name + ": " + error);
        }
    }

    @Test
    void aFrameOverTheLimitIsRejectedBeforeItIsRead() {
        FrameCodec small = FrameCodec.withMaxFrameSize(32);
        FrameException error = assertThrows(FrameException.class, () -> small.decode(new byte[33]));
        assertEquals(Problem.OVERSIZED, error.problem());
        assertEquals("frame of 33 bytes exceeds the limit of 32 at offset 0", error.getMessage());
    }

    @Test
    void errorMessagesNameTheFieldAndTheValue() {
        FrameException error = assertThrows(FrameException.class, () -> CODEC.decode(hex("52010101c801636f")));
        assertEquals("target declares 200 bytes but only 2 remain at offset 4", error.getMessage());
        error = assertThrows(FrameException.class, () -> CODEC.decode(hex("520202")));
        assertEquals(
                "unsupported remote protocol version 2: this node speaks version 1 only at offset 1",
                error.getMessage());
    }

    @Test
    void aLongErrorMessageIsCutAtACharacterBoundaryWhenEncoded() throws Exception {
        String message = "é".repeat(3000); // 6000 UTF-8 bytes
        Frame.Reply reply = Frame.Reply.error(9, ReplyStatus.FAILED, "x.Y", message);
        Frame.Reply decoded = (Frame.Reply) CODEC.decode(FrameCodec.encode(reply));
        assertEquals(2048, decoded.message().length());
    }

    @Test
    void aNameOverTheLimitCannotBeEncoded() {
        Frame.Call call = new Frame.Call(true, 1, "a".repeat(256), "go", List.of());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> FrameCodec.encode(call));
        assertTrue(error.getMessage().contains("more than the limit of 255"), error.getMessage());
    }

    @Test
    void aBatchInsideABatchIsRefusedWhenItsFramesAreDecoded() throws Exception {
        byte[] inner = FrameCodec.encode(new Frame.Batch(List.of(FrameCodec.encode(new Frame.Heartbeat(1)))));
        FrameException error = assertThrows(FrameException.class, () -> CODEC.decodeInner(inner));
        assertEquals("a batch inside a batch at offset 2", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FrameCodec.encode(new Frame.Batch(List.of(inner))));
        Frame.Batch outer = (Frame.Batch) CODEC.decode(inner);
        assertEquals(new Frame.Heartbeat(1), CODEC.decodeInner(outer.frames().get(0)));
    }

    @Test
    void largeIdsRoundTrip() throws Exception {
        Frame.State state = new Frame.State("t", Long.MAX_VALUE, new WireValue("int", new byte[] {1}));
        assertEquals(state, CODEC.decode(FrameCodec.encode(state)));
        Frame.Heartbeat heartbeat = new Frame.Heartbeat(-1L);
        assertEquals(heartbeat, CODEC.decode(FrameCodec.encode(heartbeat)));
    }

    /**
     * Fuzz: mutated valid frames and random bytes either decode or fail with a FrameException;
     * nothing else is ever thrown, and a decoded frame encodes back to the same bytes.
     */
    @Test
    void hostileBytesNeverThrowAnythingButAFrameException() throws Exception {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> seeds = new ArrayList<>();
        for (JsonNode vector : vectors().get("valid")) {
            seeds.add(hex(vector.get("hex").asText()));
        }
        int decoded = 0;
        for (int round = 0; round < 50_000; round++) {
            byte[] bytes;
            if (round % 10 == 0) {
                bytes = new byte[random.nextInt(40)];
                random.nextBytes(bytes);
                if (bytes.length > 1 && random.nextBoolean()) {
                    bytes[0] = 0x52;
                    bytes[1] = 0x01;
                }
            } else {
                byte[] original = seeds.get(random.nextInt(seeds.size()));
                bytes = mutate(original, random);
            }
            try {
                Frame frame = CODEC.decode(bytes);
                decoded++;
                assertArrayEquals(bytes, FrameCodec.encode(frame), "seed " + seed + ": re-encoding changed the bytes");
            } catch (FrameException expected) {
                // the only allowed failure
            } catch (RuntimeException e) {
                fail("seed " + seed + ": " + HexFormat.of().formatHex(bytes) + " threw " + e, e);
            }
        }
        assertTrue(decoded > 0, "some mutations are still valid frames");
    }

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] bytes;
        switch (random.nextInt(4)) {
            case 0 -> {
                bytes = original.clone();
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            case 1 -> bytes = java.util.Arrays.copyOf(original, random.nextInt(original.length));
            case 2 -> {
                bytes = java.util.Arrays.copyOf(original, original.length + 1 + random.nextInt(8));
                for (int i = original.length; i < bytes.length; i++) {
                    bytes[i] = (byte) random.nextInt(256);
                }
            }
            default -> {
                bytes = original.clone();
                int at = 3 + random.nextInt(Math.max(1, bytes.length - 3));
                if (at < bytes.length) {
                    bytes[at] = (byte) (0x80 | random.nextInt(128));
                }
            }
        }
        return bytes;
    }

    static Frame frameOf(JsonNode f) {
        return switch (f.get("kind").asText()) {
            case "tell", "ask" -> {
                List<WireValue> arguments = new ArrayList<>();
                f.get("arguments").forEach(a -> arguments.add(value(a)));
                yield new Frame.Call(
                        f.get("kind").asText().equals("ask"),
                        f.get("callId").asLong(),
                        f.get("target").asText(),
                        f.get("action").asText(),
                        arguments);
            }
            case "reply" -> {
                ReplyStatus status = ReplyStatus.valueOf(f.get("status").asText());
                yield status == ReplyStatus.OK
                        ? Frame.Reply.ok(f.get("callId").asLong(), value(f.get("value")))
                        : Frame.Reply.error(
                                f.get("callId").asLong(),
                                status,
                                f.get("errorType").asText(),
                                f.get("message").asText());
            }
            case "subscribe" ->
                new Frame.Subscribe(
                        f.get("callId").asLong(),
                        f.get("target").asText(),
                        f.get("state").asBoolean(),
                        f.get("events").asBoolean(),
                        f.get("down").asBoolean());
            case "batch" -> {
                List<byte[]> frames = new ArrayList<>();
                f.get("frames").forEach(frame -> frames.add(hex(frame.asText())));
                yield new Frame.Batch(frames);
            }
            case "stopped" ->
                new Frame.Stopped(
                        f.get("target").asText(),
                        f.get("failed").asBoolean(),
                        f.get("errorType").asText(),
                        f.get("message").asText());
            case "state" ->
                new Frame.State(f.get("target").asText(), f.get("sequence").asLong(), value(f.get("value")));
            case "event" ->
                new Frame.Event(
                        f.get("target").asText(),
                        f.get("sequence").asLong(),
                        f.get("name").asText(),
                        value(f.get("value")));
            case "chunk" ->
                new Frame.Chunk(
                        f.get("messageId").asLong(),
                        f.get("index").asInt(),
                        f.get("count").asInt(),
                        f.get("totalLength").asInt(),
                        hex(f.get("data").asText()));
            case "heartbeat" ->
                new Frame.Heartbeat(Long.parseUnsignedLong(f.get("incarnation").asText(), 16));
            default -> throw new IllegalArgumentException("unknown kind in vector: " + f);
        };
    }

    private static WireValue value(JsonNode v) {
        String type = v.get("type").asText();
        return type.isEmpty()
                ? WireValue.NULL
                : new WireValue(type, hex(v.get("cbor").asText()));
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    static JsonNode vectors() throws IOException {
        try (InputStream in = FrameCodecTest.class.getResourceAsStream("remote-frame-vectors.json")) {
            return new ObjectMapper().readTree(in);
        }
    }
}
