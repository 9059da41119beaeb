package dev.ensemble.collab.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static final int LIMIT = 64 * 1024;
    private static final PeerId PEER = TestPeers.id("PeerA");

    @Test
    void anEmptyPayloadTravelsAsOneFrame() throws Exception {
        assertRoundTrip(0, 1);
    }

    @Test
    void aOneBytePayloadTravelsAsOneFrame() throws Exception {
        assertRoundTrip(1, 1);
    }

    @Test
    void aFrameOneByteBelowTheLimitIsNotChunked() throws Exception {
        assertRoundTrip(payloadForFrameOf(LIMIT - 1), 1);
    }

    @Test
    void aFrameExactlyAtTheLimitIsNotChunked() throws Exception {
        assertRoundTrip(payloadForFrameOf(LIMIT), 1);
    }

    @Test
    void aFrameOneByteAboveTheLimitBecomesTwoChunks() throws Exception {
        assertRoundTrip(payloadForFrameOf(LIMIT + 1), 2);
    }

    @Test
    void aFourMegabyteMessageRoundTripsInShuffledChunks() throws Exception {
        assertRoundTrip(4 * 1024 * 1024, 65);
    }

    @Test
    void aTwentyEightMegabyteSyncMessageRoundTripsInShuffledChunks() throws Exception {
        int chunks = assertRoundTrip(28 * 1024 * 1024, -1);
        assertEquals(449, chunks, "28 MiB in chunks of 64 KiB minus a header of at most 39 bytes");
    }

    @Test
    void usesFreshMessageIdsForEachChunkedMessage() throws Exception {
        Chunker chunker = new Chunker(Chunker.MIN_FRAME_SIZE);
        EnvelopeCodec codec = EnvelopeCodec.withMaxFrameSize(Chunker.MIN_FRAME_SIZE);
        Envelope first =
                codec.decode(chunker.split(Envelope.sync("d", new byte[2000])).get(0));
        Envelope second =
                codec.decode(chunker.split(Envelope.sync("d", new byte[2000])).get(0));
        assertEquals(first.chunk().messageId() + 1, second.chunk().messageId());
    }

    @Test
    void messageIdsWrapFromTheLargestToZero() throws Exception {
        Chunker chunker = new Chunker(Chunker.MIN_FRAME_SIZE, Integer.MAX_VALUE);
        EnvelopeCodec codec = EnvelopeCodec.withMaxFrameSize(Chunker.MIN_FRAME_SIZE);
        Envelope big = Envelope.sync("d", new byte[2000]);
        assertEquals(
                Integer.MAX_VALUE,
                codec.decode(chunker.split(big).get(0)).chunk().messageId());
        assertEquals(0, codec.decode(chunker.split(big).get(0)).chunk().messageId());
    }

    @Test
    void refusesToChunkAChunkAndTooSmallLimits() {
        Chunker chunker = new Chunker(LIMIT);
        assertThrows(
                IllegalArgumentException.class,
                () -> chunker.split(Envelope.chunk("d", new ChunkHeader(0, 0, 1, 1), new byte[1])));
        assertEquals(
                "maxFrameSize must be >= 512 so that a chunk has room for data after its" + " header, was 100",
                assertThrows(IllegalArgumentException.class, () -> new Chunker(100))
                        .getMessage());
    }

    @Test
    void everyChunkFitsForAnyLimitAndDocumentIdLength() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            int limit = random.nextInt(Chunker.MIN_FRAME_SIZE, 4096);
            String documentId = "d".repeat(random.nextInt(1, Envelope.MAX_DOCUMENT_ID_BYTES + 1));
            byte[] payload = new byte[random.nextInt(0, 20_000)];
            random.nextBytes(payload);
            Envelope envelope = Envelope.snapshot(documentId, payload);
            List<byte[]> frames = new Chunker(limit, random.nextInt(0, Integer.MAX_VALUE)).split(envelope);
            Reassembler reassembler = new Reassembler(PEER, ReassemblyLimits.DEFAULTS, new ManualClock());
            EnvelopeCodec codec = EnvelopeCodec.withMaxFrameSize(limit);
            Optional<Envelope> result = Optional.empty();
            for (byte[] frame : frames) {
                assertTrue(frame.length <= limit, "frame " + frame.length + " > limit " + limit);
                result = reassembler.offer(codec.decode(frame));
            }
            assertEquals(Optional.of(envelope), result);
        }
    }

    /** Splits, shuffles, reassembles and compares; returns the number of frames. */
    private static int assertRoundTrip(int payloadSize, int expectedFrames) throws Exception {
        byte[] payload = new byte[payloadSize];
        new Random(payloadSize).nextBytes(payload);
        Envelope envelope = Envelope.sync("automerge-paper", payload);
        List<byte[]> frames = new ArrayList<>(new Chunker(LIMIT, Integer.MAX_VALUE).split(envelope));
        if (expectedFrames > 0) {
            assertEquals(expectedFrames, frames.size());
        }
        Collections.shuffle(frames, new Random(42));
        EnvelopeCodec codec = EnvelopeCodec.withMaxFrameSize(LIMIT);
        Reassembler reassembler = new Reassembler(PEER, ReassemblyLimits.DEFAULTS, new ManualClock());
        List<Envelope> delivered = new ArrayList<>();
        for (byte[] frame : frames) {
            assertTrue(frame.length <= LIMIT, "frame of " + frame.length + " bytes exceeds the limit");
            reassembler.offer(codec.decode(frame)).ifPresent(delivered::add);
        }
        assertEquals(List.of(envelope), delivered);
        assertEquals(0, reassembler.partialMessageCount());
        assertEquals(0, reassembler.bufferedBytes());
        return frames.size();
    }

    private static int payloadForFrameOf(int frameSize) {
        for (int payload = frameSize; payload >= 0; payload--) {
            if (EnvelopeCodec.encodedSize(Envelope.sync("automerge-paper", new byte[payload])) == frameSize) {
                return payload;
            }
        }
        throw new AssertionError("no payload size gives a frame of " + frameSize + " bytes");
    }
}
