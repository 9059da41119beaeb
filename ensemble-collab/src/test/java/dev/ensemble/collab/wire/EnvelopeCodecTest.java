package dev.ensemble.collab.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    private static final EnvelopeCodec CODEC = EnvelopeCodec.withMaxFrameSize(64 * 1024);

    private static List<byte[]> validFrames() throws Exception {
        List<byte[]> frames = new ArrayList<>();
        for (JsonNode vector : EnvelopeVectorsTest.vectors().get("valid")) {
            frames.add(HexFormat.of().parseHex(vector.get("hex").asText()));
        }
        return frames;
    }

    @Test
    void roundTripsEveryKind() throws Exception {
        List<Envelope> envelopes = List.of(
                Envelope.sync("doc", new byte[] {1, 2, 3}),
                Envelope.snapshot("doc", new byte[1000]),
                Envelope.ephemeral("", new byte[] {9}),
                Envelope.ephemeral("notes", new byte[0]),
                Envelope.ping(new byte[] {0, 0, 0, 1}),
                Envelope.pong(new byte[] {0, 0, 0, 1}),
                Envelope.chunk("doc", new ChunkHeader(5, 2, 4, 70000), new byte[300]));
        for (Envelope envelope : envelopes) {
            assertEquals(envelope, CODEC.decode(EnvelopeCodec.encode(envelope)));
        }
    }

    @Test
    void keystrokeSizedSyncCostsFewBytesOfFraming() {
        byte[] frame = EnvelopeCodec.encode(Envelope.sync("piano-room", new byte[100]));
        assertEquals(100 + 14, frame.length, "2 + 1 + 10 + 1 bytes of framing");
    }

    @Test
    void rejectsEveryTruncationOfEveryValidFrame() throws Exception {
        for (byte[] frame : validFrames()) {
            for (int length = 0; length < frame.length; length++) {
                byte[] prefix = java.util.Arrays.copyOf(frame, length);
                EnvelopeException error =
                        assertThrows(EnvelopeException.class, () -> CODEC.decode(prefix), "prefix of length " + length);
                assertInstanceOf(TruncatedEnvelopeException.class, error, error.getMessage());
                assertTrue(error.offset() >= 0 && error.offset() <= length, error.getMessage());
            }
        }
    }

    @Test
    void rejectsAFrameLongerThanTheLimitBeforeReadingIt() {
        EnvelopeCodec small = EnvelopeCodec.withMaxFrameSize(16);
        byte[] frame = EnvelopeCodec.encode(Envelope.sync("doc", new byte[20]));
        OversizedEnvelopeException error = assertThrows(OversizedEnvelopeException.class, () -> small.decode(frame));
        assertEquals(16, error.offset());
        assertEquals(
                "oversized envelope: the frame is 27 bytes, above this decoder's limit of 16"
                        + " (first byte past the limit at offset 16); larger messages must be chunked",
                error.getMessage());
    }

    @Test
    void saysThatASessionFrameNeedsEncryptedSessionsOnThisSide() {
        // A session layer's data frame: version 2, type 0x10, then session id, counter and ciphertext.
        byte[] frame = HexFormat.of().parseHex("0210" + "00".repeat(32));
        UnsupportedVersionException error = assertThrows(UnsupportedVersionException.class, () -> CODEC.decode(frame));
        assertEquals(
                "unsupported envelope version 2 at offset 0: the sender requires encrypted sessions (a session"
                        + " frame, docs/SECURITY.md) and this peer does not use them; turn them on for every peer of"
                        + " the room (dev.ensemble.transport.secure.SecureTransport); the frame is dropped",
                error.getMessage());
    }

    @Test
    void namesTheFieldAndTheOffsetOfATruncatedPayload() {
        byte[] frame = HexFormat.of().parseHex("010103646f63054243");
        TruncatedEnvelopeException error = assertThrows(TruncatedEnvelopeException.class, () -> CODEC.decode(frame));
        assertEquals(
                "truncated envelope: field 'payloadLength' at offset 6 declares 5 bytes but the"
                        + " 9-byte frame has 2 left",
                error.getMessage());
    }

    @Test
    void rejectsAHugeDeclaredPayloadLengthWithoutAllocatingIt() {
        byte[] frame = HexFormat.of().parseHex("010103646f63feffffff07");
        TruncatedEnvelopeException error = assertThrows(TruncatedEnvelopeException.class, () -> CODEC.decode(frame));
        assertEquals(6, error.offset());
    }

    @Test
    void randomBytesNeverThrowAnythingButEnvelopeException() {
        SplittableRandom random = new SplittableRandom(20260423L);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] input = new byte[random.nextInt(0, 48)];
            random.nextBytes(input);
            if (i % 2 == 0 && input.length > 1) {
                input[0] = 1;
                input[1] = (byte) random.nextInt(0, 8);
            }
            accepted += decodesOrRejectsCleanly(input) ? 1 : 0;
        }
        assertTrue(accepted < 20_000, "random bytes are mostly invalid");
    }

    @Test
    void mutatedValidFramesNeverThrowAnythingButEnvelopeException() throws Exception {
        SplittableRandom random = new SplittableRandom(7L);
        List<byte[]> frames = validFrames();
        for (int i = 0; i < 20_000; i++) {
            byte[] input = frames.get(random.nextInt(frames.size())).clone();
            int mutations = random.nextInt(1, 4);
            for (int m = 0; m < mutations; m++) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            if (decodesOrRejectsCleanly(input)) {
                Envelope decoded = decodeUnchecked(input);
                assertEquals(decoded, decodeUnchecked(EnvelopeCodec.encode(decoded)));
            }
        }
    }

    @Test
    void envelopeConstructorRejectsInvalidFieldsWithTheRule() {
        assertEquals(
                "a sync envelope must name its document (document id is empty)",
                assertThrows(IllegalArgumentException.class, () -> Envelope.sync("", new byte[0]))
                        .getMessage());
        assertEquals(
                "document id must be at most 255 bytes of UTF-8, was 256",
                assertThrows(IllegalArgumentException.class, () -> Envelope.sync("x".repeat(256), new byte[0]))
                        .getMessage());
        assertEquals(
                "document id has an unpaired surrogate at index 1 (not encodable as UTF-8)",
                assertThrows(IllegalArgumentException.class, () -> Envelope.sync("a\uD800b", new byte[0]))
                        .getMessage());
        assertEquals(
                "only a chunk envelope has a chunk header, this is a sync",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new Envelope(EnvelopeKind.SYNC, "d", new ChunkHeader(0, 0, 1, 1), new byte[1]))
                        .getMessage());
        assertEquals(
                "chunk index must be in [0, count) = [0, 2), was 2",
                assertThrows(IllegalArgumentException.class, () -> new ChunkHeader(0, 2, 2, 10))
                        .getMessage());
    }

    private static boolean decodesOrRejectsCleanly(byte[] input) {
        try {
            CODEC.decode(input);
            return true;
        } catch (EnvelopeException expected) {
            assertTrue(expected.offset() >= 0 && expected.offset() <= Math.max(input.length, 0), expected.getMessage());
            return false;
        } catch (RuntimeException | Error unexpected) {
            fail("decode threw " + unexpected + " for " + HexFormat.of().formatHex(input), unexpected);
            return false;
        }
    }

    private static Envelope decodeUnchecked(byte[] input) {
        try {
            return CODEC.decode(input);
        } catch (EnvelopeException e) {
            throw new AssertionError(e);
        }
    }
}
