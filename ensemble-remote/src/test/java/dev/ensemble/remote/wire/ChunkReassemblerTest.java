package dev.ensemble.remote.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.remote.wire.FrameException.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reassembly of chunked values, with a manual clock: no sockets, no threads. */
class ChunkReassemblerTest {
    private static final FrameCodec CODEC = FrameCodec.withMaxFrameSize(1 << 20);
    private static final long SECOND = 1_000_000_000L;

    private static byte[] bigFrame(int argumentBytes) {
        byte[] cbor = new byte[argumentBytes];
        new Random(argumentBytes).nextBytes(cbor);
        return FrameCodec.encode(new Frame.Call(true, 3, "counter", "describe", List.of(new WireValue("bytes", cbor))));
    }

    private static List<Frame.Chunk> chunks(byte[] frame, long messageId, int maxFrameSize) throws FrameException {
        List<Frame.Chunk> chunks = new ArrayList<>();
        for (byte[] encoded : FrameCodec.split(frame, messageId, maxFrameSize)) {
            assertTrue(encoded.length <= maxFrameSize, "every chunk fits the transport");
            chunks.add((Frame.Chunk) CODEC.decode(encoded));
        }
        return chunks;
    }

    @Test
    void chunksInAnyOrderGiveBackTheFrameAndItsCall() throws Exception {
        byte[] frame = bigFrame(10_000);
        List<Frame.Chunk> chunks = chunks(frame, 1, 1024);
        assertEquals((frame.length + 991) / 992, chunks.size(), "slices of 1024 - 32 header bytes");
        Collections.shuffle(chunks, new Random(7));
        ChunkReassembler reassembler = new ChunkReassembler(1 << 20, 4, 30 * SECOND);
        byte[] whole = null;
        for (Frame.Chunk chunk : chunks) {
            assertNull(whole, "complete only with the last chunk");
            whole = reassembler.offer(chunk, 0);
        }
        assertArrayEquals(frame, whole);
        assertEquals(CODEC.decode(frame), CODEC.decodeReassembled(whole));
        assertEquals(0, reassembler.partialCount());
        assertEquals(0, reassembler.bufferedBytes());
        assertNull(reassembler.offer(chunks.get(0), 0), "a late chunk of a finished value is ignored");
    }

    @Test
    void aValueAboveTheLimitIsReportedWithItsHeadSoTheCallCanBeAnswered() throws Exception {
        byte[] frame = bigFrame(10_000);
        List<Frame.Chunk> chunks = chunks(frame, 1, 1024);
        List<DroppedValue> reported = new ArrayList<>();
        ChunkReassembler reassembler = new ChunkReassembler(4096, 4, 30 * SECOND, reported::add);

        FrameException error = assertThrows(FrameException.class, () -> reassembler.offer(chunks.get(0), 0));
        assertEquals(Problem.OVERSIZED, error.problem());
        assertEquals(1, reported.size(), "reported at its first chunk, chunk 0");
        DroppedValue dropped = reported.get(0);
        assertEquals(DroppedValue.Cause.TOO_LARGE, dropped.cause());
        assertEquals(frame.length, dropped.totalLength());
        assertEquals(4096, dropped.limit());
        assertEquals(new FrameHead(FrameCodec.KIND_ASK, 3, "counter", "describe"), FrameHead.parse(dropped.head()));
        for (Frame.Chunk later : chunks.subList(1, chunks.size())) {
            assertNull(reassembler.offer(later, 0));
        }
        assertEquals(1, reported.size(), "reported once");
    }

    @Test
    void aValueDroppedBeforeItsChunkZeroIsReportedWhenChunkZeroComes() throws Exception {
        List<Frame.Chunk> chunks = chunks(bigFrame(10_000), 9, 1024);
        List<DroppedValue> reported = new ArrayList<>();
        ChunkReassembler reassembler = new ChunkReassembler(4096, 4, 30 * SECOND, reported::add);
        assertThrows(FrameException.class, () -> reassembler.offer(chunks.get(3), 0));
        assertTrue(reported.isEmpty(), "nothing to tell without the head");
        assertNull(reassembler.offer(chunks.get(1), 0));
        assertNull(reassembler.offer(chunks.get(0), 0));
        assertEquals(1, reported.size());
        assertEquals(3, FrameHead.parse(reported.get(0).head()).callId());
        assertNull(reassembler.offer(chunks.get(0), 0));
        assertEquals(1, reported.size(), "reported once");
    }

    @Test
    void aValueBeyondThePartialLimitIsReportedAsSuch() throws Exception {
        List<DroppedValue> reported = new ArrayList<>();
        ChunkReassembler reassembler = new ChunkReassembler(1 << 20, 1, 30 * SECOND, reported::add);
        assertNull(reassembler.offer(chunks(bigFrame(3000), 1, 1024).get(0), 0));
        assertThrows(
                FrameException.class,
                () -> reassembler.offer(chunks(bigFrame(3000), 2, 1024).get(0), 0));
        assertEquals(DroppedValue.Cause.TOO_MANY_PARTIAL, reported.get(0).cause());
        assertEquals(1, reported.get(0).limit());
    }

    @Test
    void interleavedValuesBothComplete() throws Exception {
        List<Frame.Chunk> first = chunks(bigFrame(3000), 1, 1024);
        List<Frame.Chunk> second = chunks(bigFrame(4000), 2, 1024);
        ChunkReassembler reassembler = new ChunkReassembler(1 << 20, 2, 30 * SECOND);
        List<byte[]> done = new ArrayList<>();
        for (int i = 0; i < Math.max(first.size(), second.size()); i++) {
            for (List<Frame.Chunk> stream : List.of(first, second)) {
                if (i < stream.size()) {
                    byte[] whole = reassembler.offer(stream.get(i), 0);
                    if (whole != null) {
                        done.add(whole);
                    }
                }
            }
        }
        assertEquals(2, done.size());
        assertArrayEquals(bigFrame(3000), done.get(0));
        assertArrayEquals(bigFrame(4000), done.get(1));
    }

    @Test
    void aValueDeclaredAboveTheLimitIsDroppedAtItsFirstChunk() throws Exception {
        List<Frame.Chunk> chunks = chunks(bigFrame(5000), 1, 1024);
        ChunkReassembler reassembler = new ChunkReassembler(4096, 4, 30 * SECOND);
        FrameException error = assertThrows(FrameException.class, () -> reassembler.offer(chunks.get(0), 0));
        assertEquals(Problem.OVERSIZED, error.problem());
        assertTrue(error.getMessage().contains("more than maxValueSize 4096"), error.getMessage());
        assertEquals(0, reassembler.bufferedBytes());
        assertNull(reassembler.offer(chunks.get(1), 0), "the rest of a dropped value is ignored");
        assertEquals(0, reassembler.partialCount());
    }

    @Test
    void moreIncompleteValuesThanAllowedAreDroppedAndTheOthersComplete() throws Exception {
        ChunkReassembler reassembler = new ChunkReassembler(1 << 20, 2, 30 * SECOND);
        List<Frame.Chunk> a = chunks(bigFrame(2000), 1, 1024);
        List<Frame.Chunk> b = chunks(bigFrame(2001), 2, 1024);
        List<Frame.Chunk> c = chunks(bigFrame(2002), 3, 1024);
        reassembler.offer(a.get(0), 0);
        reassembler.offer(b.get(0), 0);
        FrameException error = assertThrows(FrameException.class, () -> reassembler.offer(c.get(0), 0));
        assertTrue(
                error.getMessage().contains("already has 2 incomplete values (maxPartialValues 2)"),
                error.getMessage());
        byte[] whole = null;
        for (Frame.Chunk chunk : a.subList(1, a.size())) {
            whole = reassembler.offer(chunk, 0);
        }
        assertArrayEquals(bigFrame(2000), whole);
    }

    @Test
    void inconsistentTotalsOverlapsAndExcessBytesDropTheirValueOnly() throws Exception {
        ChunkReassembler reassembler = new ChunkReassembler(1 << 20, 4, 30 * SECOND);
        byte[] slice = new byte[10];
        // Wrong totals: the second chunk disagrees with the first.
        reassembler.offer(new Frame.Chunk(1, 0, 3, 30, slice), 0);
        FrameException totals =
                assertThrows(FrameException.class, () -> reassembler.offer(new Frame.Chunk(1, 1, 3, 31, slice), 0));
        assertTrue(
                totals.getMessage().contains("but the stream began with count 3, totalLength 30"), totals.getMessage());
        // Overlap: the same index twice with different bytes.
        reassembler.offer(new Frame.Chunk(2, 0, 3, 30, slice), 0);
        assertNull(reassembler.offer(new Frame.Chunk(2, 0, 3, 30, slice.clone()), 0), "an exact repeat is ignored");
        byte[] other = slice.clone();
        other[0] = 1;
        FrameException overlap =
                assertThrows(FrameException.class, () -> reassembler.offer(new Frame.Chunk(2, 0, 3, 30, other), 0));
        assertTrue(overlap.getMessage().contains("arrived twice with different bytes"), overlap.getMessage());
        // Excess: slices that add up to more than declared.
        reassembler.offer(new Frame.Chunk(3, 0, 2, 12, slice), 0);
        FrameException excess =
                assertThrows(FrameException.class, () -> reassembler.offer(new Frame.Chunk(3, 1, 2, 12, slice), 0));
        assertTrue(excess.getMessage().contains("more than the declared totalLength of 12"), excess.getMessage());
        // Short: all chunks arrived but carry fewer bytes than declared.
        reassembler.offer(new Frame.Chunk(4, 0, 2, 30, slice), 0);
        FrameException shortValue =
                assertThrows(FrameException.class, () -> reassembler.offer(new Frame.Chunk(4, 1, 2, 30, slice), 0));
        assertEquals(Problem.TRUNCATED, shortValue.problem());
        assertEquals(0, reassembler.partialCount(), "every bad value was released");
        assertEquals(0, reassembler.bufferedBytes());
    }

    @Test
    void aValueNotCompleteWithinTheTimeoutOfItsFirstChunkExpires() throws Exception {
        ChunkReassembler reassembler = new ChunkReassembler(1 << 20, 4, 10 * SECOND);
        List<Frame.Chunk> chunks = chunks(bigFrame(3000), 1, 1024);
        reassembler.offer(chunks.get(0), 0);
        reassembler.offer(chunks.get(1), 9 * SECOND);
        assertEquals(0, reassembler.expire(10 * SECOND - 1));
        assertEquals(1, reassembler.expire(10 * SECOND));
        assertEquals(0, reassembler.partialCount());
        assertNull(reassembler.offer(chunks.get(2), 10 * SECOND), "its late chunks are ignored");
        assertEquals(0, reassembler.partialCount());
    }

    @Test
    void aReassembledChunkOrBatchIsRefused() throws Exception {
        byte[] chunk = FrameCodec.encode(new Frame.Chunk(1, 0, 2, 11, new byte[] {1}));
        FrameException nested = assertThrows(FrameException.class, () -> CODEC.decodeReassembled(chunk));
        assertEquals(Problem.MALFORMED, nested.problem());
        byte[] batch = FrameCodec.encode(new Frame.Batch(List.of(FrameCodec.encode(new Frame.Heartbeat(1)))));
        assertThrows(FrameException.class, () -> CODEC.decodeReassembled(batch));
    }

    @Test
    void splitRefusesAFrameThatFitsAndALimitWithNoRoom() {
        byte[] frame = bigFrame(100);
        assertThrows(IllegalArgumentException.class, () -> FrameCodec.split(frame, 1, 4096));
        IllegalArgumentException noRoom =
                assertThrows(IllegalArgumentException.class, () -> FrameCodec.split(frame, 1, 32));
        assertEquals("maxFrameSize 32 leaves no room for a chunk's data (expected: > 32)", noRoom.getMessage());
    }
}
