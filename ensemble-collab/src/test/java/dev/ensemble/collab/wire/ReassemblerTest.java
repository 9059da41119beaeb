package dev.ensemble.collab.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.wire.ChunkStreamException.Reason;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReassemblerTest {

    private static final PeerId PEER = TestPeers.id("PeerB");
    private static final int LIMIT = 1024;
    private static final EnvelopeCodec CODEC = EnvelopeCodec.withMaxFrameSize(LIMIT);

    private final ManualClock clock = new ManualClock();
    private final Chunker chunker = new Chunker(LIMIT, 0);

    private List<Envelope> chunks(Envelope envelope) throws EnvelopeException {
        List<Envelope> chunks = new ArrayList<>();
        for (byte[] frame : chunker.split(envelope)) {
            chunks.add(CODEC.decode(frame));
        }
        return chunks;
    }

    private static Envelope bigSync(String documentId, int size) {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        return Envelope.sync(documentId, payload);
    }

    private Reassembler reassembler(ReassemblyLimits limits) {
        return new Reassembler(PEER, limits, clock);
    }

    @Test
    void passesEnvelopesThatAreNotChunksStraightThrough() throws Exception {
        Envelope ping = Envelope.ping(new byte[] {1});
        assertEquals(Optional.of(ping), reassembler(ReassemblyLimits.DEFAULTS).offer(ping));
    }

    @Test
    void toleratesShuffledAndDuplicatedChunksIncludingLateDuplicates() throws Exception {
        Envelope original = bigSync("doc", 10_000);
        List<Envelope> chunks = chunks(original);
        List<Envelope> arriving = new ArrayList<>(chunks);
        arriving.addAll(chunks);
        Collections.shuffle(arriving, new Random(1));
        Reassembler reassembler = reassembler(ReassemblyLimits.DEFAULTS);
        List<Envelope> delivered = new ArrayList<>();
        for (Envelope chunk : arriving) {
            reassembler.offer(chunk).ifPresent(delivered::add);
        }
        assertEquals(List.of(original), delivered);
        assertEquals(0, reassembler.partialMessageCount());
        assertTrue(reassembler.expire().isEmpty(), "late duplicates start no new stream");
    }

    @Test
    void reassemblesInterleavedStreamsOfSeveralDocuments() throws Exception {
        Envelope a = bigSync("doc-a", 5000);
        Envelope b = Envelope.snapshot("doc-b", new byte[3000]);
        List<Envelope> arriving = new ArrayList<>(chunks(a));
        arriving.addAll(chunks(b));
        Collections.shuffle(arriving, new Random(2));
        Reassembler reassembler = reassembler(ReassemblyLimits.DEFAULTS);
        List<Envelope> delivered = new ArrayList<>();
        for (Envelope chunk : arriving) {
            reassembler.offer(chunk).ifPresent(delivered::add);
        }
        assertEquals(2, delivered.size());
        assertTrue(delivered.containsAll(List.of(a, b)));
    }

    @Test
    void expiresAnIncompleteStreamNamingPeerAndDocumentAndReleasesItsMemory() throws Exception {
        List<Envelope> chunks = chunks(bigSync("notes", 5000));
        Reassembler reassembler = reassembler(ReassemblyLimits.DEFAULTS);
        for (Envelope chunk : chunks.subList(0, chunks.size() - 1)) {
            reassembler.offer(chunk);
        }
        assertEquals(1, reassembler.partialMessageCount());
        assertTrue(reassembler.bufferedBytes() > 4000);
        clock.advance(Duration.ofSeconds(29));
        assertTrue(reassembler.expire().isEmpty(), "not yet idle for the timeout");
        clock.advance(Duration.ofSeconds(1));

        List<ChunkStreamException> expired = reassembler.expire();

        assertEquals(1, expired.size());
        ChunkStreamException error = expired.get(0);
        assertEquals(Reason.EXPIRED, error.reason());
        assertEquals(PEER, error.peer());
        assertEquals("notes", error.documentId());
        assertEquals(
                "dropped chunk stream 0 from peer " + PEER + " for document \"notes\": no"
                        + " new chunk for PT30S (timeout PT30S); had 4 of 5 chunks, 4028 of 5010 bytes",
                error.getMessage());
        assertEquals(0, reassembler.partialMessageCount());
        assertEquals(0, reassembler.bufferedBytes());
        assertEquals(
                Optional.empty(),
                reassembler.offer(chunks.get(chunks.size() - 1)),
                "a chunk of an expired stream is ignored");
        assertEquals(0, reassembler.partialMessageCount());
    }

    @Test
    void aNewChunkRestartsTheTimeout() throws Exception {
        List<Envelope> chunks = chunks(bigSync("doc", 3000));
        Reassembler reassembler = reassembler(ReassemblyLimits.DEFAULTS);
        reassembler.offer(chunks.get(0));
        clock.advance(Duration.ofSeconds(20));
        reassembler.offer(chunks.get(1));
        clock.advance(Duration.ofSeconds(20));
        assertTrue(reassembler.expire().isEmpty());
        assertTrue(reassembler.offer(chunks.get(2)).isPresent());
    }

    @Test
    void dropsAStreamWhoseChunksDisagreeOnCountAndKeepsOtherStreams() throws Exception {
        Reassembler reassembler = reassembler(ReassemblyLimits.DEFAULTS);
        Envelope healthy = bigSync("other", 3000);
        List<Envelope> healthyChunks = chunks(healthy);
        reassembler.offer(healthyChunks.get(0));
        reassembler.offer(Envelope.chunk("doc", new ChunkHeader(99, 0, 3, 30), new byte[10]));
        ChunkStreamException error = assertThrows(
                ChunkStreamException.class,
                () -> reassembler.offer(Envelope.chunk("doc", new ChunkHeader(99, 4, 5, 30), new byte[10])));
        assertEquals(Reason.INCONSISTENT, error.reason());
        assertEquals(
                "dropped chunk stream 99 from peer " + PEER + " for document \"doc\": chunk"
                        + " 4 says document \"doc\", count 5, totalLength 30 but the stream began with count 3,"
                        + " totalLength 30",
                error.getMessage());
        assertEquals(
                Optional.empty(),
                reassembler.offer(Envelope.chunk("doc", new ChunkHeader(99, 1, 3, 30), new byte[10])),
                "later chunks of a dropped stream are ignored");
        Optional<Envelope> result = Optional.empty();
        for (Envelope chunk : healthyChunks.subList(1, healthyChunks.size())) {
            result = reassembler.offer(chunk);
        }
        assertEquals(Optional.of(healthy), result);
        assertEquals(0, reassembler.bufferedBytes());
    }

    @Test
    void dropsAStreamWhenAChunkChangesItsDocument() {
        Reassembler reassembler = reassembler(ReassemblyLimits.DEFAULTS);
        assertThrows(ChunkStreamException.class, () -> {
            reassembler.offer(Envelope.chunk("doc", new ChunkHeader(1, 0, 2, 20), new byte[10]));
            reassembler.offer(Envelope.chunk("elsewhere", new ChunkHeader(1, 1, 2, 20), new byte[10]));
        });
        assertEquals(0, reassembler.partialMessageCount());
    }

    @Test
    void dropsAStreamWithTwoDifferentChunksAtOneIndex() throws Exception {
        Reassembler reassembler = reassembler(ReassemblyLimits.DEFAULTS);
        reassembler.offer(Envelope.chunk("doc", new ChunkHeader(1, 0, 2, 20), new byte[10]));
        byte[] other = new byte[10];
        other[3] = 7;
        ChunkStreamException error = assertThrows(
                ChunkStreamException.class,
                () -> reassembler.offer(Envelope.chunk("doc", new ChunkHeader(1, 0, 2, 20), other)));
        assertEquals(Reason.CONFLICTING_DUPLICATE, error.reason());
        assertTrue(error.getMessage().endsWith("chunk 0 arrived twice with different bytes"));
        assertEquals(0, reassembler.bufferedBytes());
    }

    @Test
    void dropsAStreamWhoseChunksCarryMoreOrFewerBytesThanDeclared() throws Exception {
        Reassembler reassembler = reassembler(ReassemblyLimits.DEFAULTS);
        reassembler.offer(Envelope.chunk("doc", new ChunkHeader(1, 0, 2, 15), new byte[10]));
        assertEquals(
                Reason.INCONSISTENT,
                assertThrows(
                                ChunkStreamException.class,
                                () -> reassembler.offer(
                                        Envelope.chunk("doc", new ChunkHeader(1, 1, 2, 15), new byte[10])))
                        .reason());
        reassembler.offer(Envelope.chunk("doc", new ChunkHeader(2, 0, 2, 15), new byte[5]));
        ChunkStreamException fewer = assertThrows(
                ChunkStreamException.class,
                () -> reassembler.offer(Envelope.chunk("doc", new ChunkHeader(2, 1, 2, 15), new byte[5])));
        assertTrue(
                fewer.getMessage().endsWith("the 2 chunks carry 10 bytes but declare totalLength" + " 15"),
                fewer.getMessage());
    }

    @Test
    void rejectsAStreamLargerThanTheLimitFromItsFirstChunk() {
        Reassembler reassembler =
                reassembler(ReassemblyLimits.builder().maxMessageSize(1000).build());
        ChunkStreamException error = assertThrows(
                ChunkStreamException.class,
                () -> reassembler.offer(Envelope.chunk("doc", new ChunkHeader(5, 3, 4, 1_000_000_000), new byte[10])));
        assertEquals(Reason.TOO_LARGE, error.reason());
        assertTrue(error.getMessage().endsWith("the message is 1000000000 bytes, above" + " maxMessageSize 1000"));
        assertEquals(0, reassembler.bufferedBytes());
    }

    @Test
    void rejectsAStreamWithTooManyChunks() {
        Reassembler reassembler =
                reassembler(ReassemblyLimits.builder().maxChunksPerMessage(100).build());
        assertEquals(
                Reason.TOO_MANY_CHUNKS,
                assertThrows(
                                ChunkStreamException.class,
                                () -> reassembler.offer(
                                        Envelope.chunk("doc", new ChunkHeader(5, 0, 101, 101), new byte[1])))
                        .reason());
    }

    @Test
    void refusesMoreConcurrentStreamsThanTheLimitAndFinishesTheOthers() throws Exception {
        Reassembler reassembler =
                reassembler(ReassemblyLimits.builder().maxPartialMessages(2).build());
        List<Envelope> first = chunks(bigSync("a", 2500));
        List<Envelope> second = chunks(bigSync("b", 2500));
        List<Envelope> third = chunks(bigSync("c", 2500));
        reassembler.offer(first.get(0));
        reassembler.offer(second.get(0));
        ChunkStreamException error = assertThrows(ChunkStreamException.class, () -> reassembler.offer(third.get(0)));
        assertEquals(Reason.TOO_MANY_PARTIAL_MESSAGES, error.reason());
        assertEquals("c", error.documentId());
        assertTrue(reassembler.offer(first.get(1)).isEmpty());
        assertTrue(reassembler.offer(first.get(2)).isPresent());
        assertTrue(reassembler.offer(second.get(1)).isEmpty());
        assertTrue(reassembler.offer(second.get(2)).isPresent());
    }

    @Test
    void rejectsReassembledBytesThatAreNotAnEnvelopeOfTheStreamsDocument() throws Exception {
        Reassembler reassembler = reassembler(ReassemblyLimits.DEFAULTS);
        reassembler.offer(Envelope.chunk("doc", new ChunkHeader(1, 0, 2, 4), new byte[] {1, 9}));
        ChunkStreamException garbage = assertThrows(
                ChunkStreamException.class,
                () -> reassembler.offer(Envelope.chunk("doc", new ChunkHeader(1, 1, 2, 4), new byte[] {0, 0})));
        assertEquals(Reason.INVALID_CONTENT, garbage.reason());
        assertTrue(garbage.getCause() instanceof UnknownKindException);

        byte[] elsewhere = EnvelopeCodec.encode(Envelope.sync("elsewhere", new byte[5]));
        ChunkStreamException mismatch = assertThrows(
                ChunkStreamException.class,
                () -> reassembler.offer(Envelope.chunk("doc", new ChunkHeader(2, 0, 1, elsewhere.length), elsewhere)));
        assertEquals(Reason.INVALID_CONTENT, mismatch.reason());
        assertTrue(mismatch.getMessage().endsWith("names document \"elsewhere\", not the stream's"));
    }

    @Test
    void randomHostileChunksOnlyEverDropStreamsAndStayWithinTheMemoryBound() {
        ReassemblyLimits limits = ReassemblyLimits.builder()
                .maxMessageSize(4096)
                .maxPartialMessages(3)
                .maxChunksPerMessage(64)
                .build();
        Reassembler reassembler = reassembler(limits);
        SplittableRandom random = new java.util.SplittableRandom(11);
        int dropped = 0;
        for (int i = 0; i < 50_000; i++) {
            int count = random.nextInt(1, 80);
            int totalLength = random.nextInt(count, 6000);
            ChunkHeader header = new ChunkHeader(random.nextInt(0, 40), random.nextInt(0, count), count, totalLength);
            byte[] part = new byte[random.nextInt(1, Math.min(totalLength, 200) + 1)];
            random.nextBytes(part);
            String documentId = random.nextInt(10) == 0 ? "other" : "doc";
            try {
                reassembler.offer(Envelope.chunk(documentId, header, part));
            } catch (ChunkStreamException e) {
                dropped++;
                assertEquals(PEER, e.peer());
            }
            assertTrue(reassembler.partialMessageCount() <= 3);
            assertTrue(reassembler.bufferedBytes() <= 3L * 4096, "buffered " + reassembler.bufferedBytes());
            if (i % 1000 == 0) {
                clock.advance(Duration.ofSeconds(31));
                reassembler.expire();
            }
        }
        assertTrue(dropped > 0);
    }
}
