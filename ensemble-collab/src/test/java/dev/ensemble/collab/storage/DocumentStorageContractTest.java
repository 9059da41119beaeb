package dev.ensemble.collab.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link DocumentStorage} contract; a subclass per implementation runs it.
 *
 * <p>Byte-level tests model a document as a set of numbered changes: a snapshot is the sorted
 * list of the numbers it covers, so "nothing lost" is "snapshot ∪ changes = everything appended".
 */
abstract class DocumentStorageContractTest {

    static {
        // automerge-java 0.0.7: a Document must exist before ObjectId.ROOT is first touched.
        new Document().free();
    }

    protected DocumentStorage storage;

    /** @return a new, empty storage of the implementation under test */
    protected abstract DocumentStorage newStorage() throws Exception;

    @BeforeEach
    void openStorage() throws Exception {
        storage = newStorage();
    }

    @AfterEach
    void closeStorage() throws Exception {
        storage.close();
    }

    static byte[] change(long number) {
        return ("change-" + number).getBytes(UTF_8);
    }

    static byte[] snapshotOf(Set<Long> numbers) {
        return new TreeSet<>(numbers).toString().getBytes(UTF_8);
    }

    /** Everything a stored document holds in the numbered-change model. */
    static Set<Long> contents(StoredDocument stored) {
        Set<Long> numbers = new TreeSet<>();
        stored.snapshot().ifPresent(bytes -> {
            String list = new String(bytes, UTF_8);
            String inner = list.substring(1, list.length() - 1);
            if (!inner.isBlank()) {
                Arrays.stream(inner.split(", ")).map(Long::parseLong).forEach(numbers::add);
            }
        });
        for (byte[] change : stored.changes()) {
            numbers.add(Long.parseLong(new String(change, UTF_8).substring("change-".length())));
        }
        return numbers;
    }

    static List<String> strings(List<byte[]> changes) {
        List<String> out = new ArrayList<>();
        changes.forEach(change -> out.add(new String(change, UTF_8)));
        return out;
    }

    @Test
    void loadOfUnknownDocumentIsEmpty() throws Exception {
        StoredDocument stored = storage.load("never-written");
        assertTrue(stored.isEmpty());
        assertEquals(0, stored.lastSequence());
        assertTrue(stored.problems().isEmpty());
    }

    @Test
    void appendedChangesLoadInOrderWithConsecutiveSequenceNumbers() throws Exception {
        assertEquals(1, storage.append("doc", change(1)));
        assertEquals(2, storage.append("doc", change(2)));
        assertEquals(3, storage.append("doc", change(3)));

        StoredDocument stored = storage.load("doc");
        assertEquals(List.of("change-1", "change-2", "change-3"), strings(stored.changes()));
        assertFalse(stored.snapshot().isPresent());
        assertEquals(3, stored.lastSequence());
        assertTrue(stored.problems().isEmpty());
    }

    @Test
    void emptyChangeIsStored() throws Exception {
        storage.append("doc", new byte[0]);
        assertEquals(1, storage.load("doc").changeCount());
        assertEquals(0, storage.load("doc").changes().get(0).length);
    }

    @Test
    void compactionReplacesCoveredChangesWithTheSnapshot() throws Exception {
        for (long i = 1; i <= 4; i++) {
            storage.append("doc", change(i));
        }
        storage.compact("doc", snapshotOf(Set.of(1L, 2L, 3L, 4L)), 4);

        StoredDocument stored = storage.load("doc");
        assertEquals("[1, 2, 3, 4]", new String(stored.snapshot().orElseThrow(), UTF_8));
        assertEquals(4, stored.snapshotSequence());
        assertEquals(0, stored.changeCount());
        assertEquals(4, stored.lastSequence());
    }

    @Test
    void compactionKeepsChangesTheSnapshotDoesNotCover() throws Exception {
        for (long i = 1; i <= 5; i++) {
            storage.append("doc", change(i));
        }
        storage.compact("doc", snapshotOf(Set.of(1L, 2L, 3L)), 3);

        StoredDocument stored = storage.load("doc");
        assertEquals(List.of("change-4", "change-5"), strings(stored.changes()));
        assertEquals(Set.of(1L, 2L, 3L, 4L, 5L), contents(stored));
    }

    @Test
    void sequenceNumbersContinueAfterCompaction() throws Exception {
        storage.append("doc", change(1));
        storage.append("doc", change(2));
        storage.compact("doc", snapshotOf(Set.of(1L, 2L)), 2);

        assertEquals(3, storage.append("doc", change(3)));
        StoredDocument stored = storage.load("doc");
        assertEquals(List.of("change-3"), strings(stored.changes()));
        assertEquals(3, stored.lastSequence());
    }

    @Test
    void compactionOfADocumentWithoutChangesIsAllowed() throws Exception {
        storage.compact("doc", snapshotOf(Set.of()), 0);
        StoredDocument stored = storage.load("doc");
        assertEquals("[]", new String(stored.snapshot().orElseThrow(), UTF_8));
        assertEquals(1, storage.append("doc", change(1)));
    }

    @Test
    void rejectsCoveredSequenceBeyondTheLastAppend() throws Exception {
        storage.append("doc", change(1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> storage.compact("doc", snapshotOf(Set.of(1L)), 2));
        assertEquals(
                "coveredSequence must not exceed the last appended sequence 1 of document doc, was 2:"
                        + " pass the number returned by append (or StoredDocument.lastSequence())",
                e.getMessage());
    }

    @Test
    void rejectsSnapshotOlderThanTheStoredOne() throws Exception {
        storage.append("doc", change(1));
        storage.append("doc", change(2));
        storage.compact("doc", snapshotOf(Set.of(1L, 2L)), 2);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> storage.compact("doc", snapshotOf(Set.of(1L)), 1));
        assertEquals(
                "coveredSequence must not be behind the stored snapshot of document doc, which covers 2,"
                        + " was 1: a newer snapshot is already stored",
                e.getMessage());
        assertEquals("[1, 2]", new String(storage.load("doc").snapshot().orElseThrow(), UTF_8));
    }

    @Test
    void deleteForgetsTheDocumentAndRestartsItsSequence() throws Exception {
        storage.append("doc", change(1));
        storage.compact("doc", snapshotOf(Set.of(1L)), 1);
        storage.append("doc", change(2));

        storage.delete("doc");

        assertTrue(storage.load("doc").isEmpty());
        assertEquals(1, storage.append("doc", change(7)));
        assertEquals(List.of("change-7"), strings(storage.load("doc").changes()));
    }

    @Test
    void deleteOfUnknownDocumentDoesNothing() throws Exception {
        storage.delete("never-written");
        assertTrue(storage.load("never-written").isEmpty());
    }

    @Test
    void documentsAreIndependent() throws Exception {
        storage.append("a", change(1));
        storage.append("b", change(2));
        storage.compact("a", snapshotOf(Set.of(1L)), 1);
        storage.delete("b");

        assertEquals(Set.of(1L), contents(storage.load("a")));
        assertTrue(storage.load("b").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "..",
                ".hidden",
                "../escape",
                "a/b",
                "a\\b",
                "with space",
                "ümlaut",
                "nul\u0000byte",
                "colon:name"
            })
    void rejectsUnsafeDocumentIds(String documentId) {
        assertThrows(IllegalArgumentException.class, () -> storage.append(documentId, change(1)));
        assertThrows(IllegalArgumentException.class, () -> storage.load(documentId));
        assertThrows(IllegalArgumentException.class, () -> storage.compact(documentId, new byte[0], 0));
        assertThrows(IllegalArgumentException.class, () -> storage.delete(documentId));
    }

    @Test
    void rejectionOfAnUnsafeIdNamesTheRuleAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> storage.load("../etc/passwd"));
        assertEquals(
                "documentId must use only letters, digits, '.', '_' and '-' and must not start with '.',"
                        + " was \"../etc/passwd\"",
                e.getMessage());
        IllegalArgumentException tooLong = assertThrows(
                IllegalArgumentException.class,
                () -> storage.load("x".repeat(DocumentStorage.MAX_DOCUMENT_ID_LENGTH + 1)));
        assertEquals("documentId must be 1 to 128 characters long, was 129 characters", tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> storage.load(null));
    }

    @Test
    void acceptsTheLongestAllowedId() throws Exception {
        String id = "a".repeat(DocumentStorage.MAX_DOCUMENT_ID_LENGTH);
        storage.append(id, change(1));
        assertEquals(1, storage.load(id).changeCount());
    }

    @Test
    void storesCopiesNotTheCallersArrays() throws Exception {
        byte[] change = change(1);
        storage.append("doc", change);
        change[0] = 'X';
        StoredDocument stored = storage.load("doc");
        stored.changes().get(0)[0] = 'Y';
        assertEquals("change-1", new String(stored.changes().get(0), UTF_8));
    }

    @Test
    void closedStorageRejectsCalls() throws Exception {
        storage.close();
        assertThrows(IllegalStateException.class, () -> storage.append("doc", change(1)));
        assertThrows(IllegalStateException.class, () -> storage.load("doc"));
        storage.close();
    }

    /**
     * One thread appends, another repeatedly loads, builds a snapshot of everything it loaded and
     * compacts with the sequence it saw, while the appends go on: every appended change must
     * survive, in the snapshot or in the log.
     */
    @Test
    void compactionConcurrentWithAppendsLosesNothing() throws Exception {
        int total = 400;
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch started = new CountDownLatch(1);
            Future<?> appender = threads.submit(() -> {
                started.countDown();
                for (long i = 1; i <= total; i++) {
                    assertEquals(i, storage.append("doc", change(i)));
                }
                return null;
            });
            Future<Integer> compactor = threads.submit(() -> {
                started.await();
                int compactions = 0;
                while (!appender.isDone() || compactions < 3) {
                    StoredDocument stored = storage.load("doc");
                    storage.compact("doc", snapshotOf(contents(stored)), stored.lastSequence());
                    compactions++;
                }
                return compactions;
            });
            appender.get(60, TimeUnit.SECONDS);
            assertTrue(compactor.get(60, TimeUnit.SECONDS) >= 3);
        } finally {
            threads.shutdownNow();
        }
        StoredDocument stored = storage.load("doc");
        Set<Long> expected = new TreeSet<>();
        for (long i = 1; i <= total; i++) {
            expected.add(i);
        }
        assertEquals(expected, contents(stored));
        assertEquals(total, stored.lastSequence());
        assertTrue(stored.problems().isEmpty(), stored.problems()::toString);
    }

    @Test
    void automergeDocumentRoundTripsThroughSnapshotAndChanges() throws Exception {
        Document original = new Document();
        Document reloaded = null;
        try {
            ChangeHash[] heads = original.getHeads();
            long covered = 0;
            for (int i = 0; i < 8; i++) {
                try (Transaction tx = original.startTransaction()) {
                    tx.set(ObjectId.ROOT, "key-" + i, i * 10);
                    tx.commit();
                }
                covered = storage.append("automerge", original.encodeChangesSince(heads));
                heads = original.getHeads();
                if (i == 4) {
                    storage.compact("automerge", original.save(), covered);
                }
            }

            StoredDocument stored = storage.load("automerge");
            assertEquals(3, stored.changeCount());
            reloaded = Document.load(stored.snapshot().orElseThrow());
            for (byte[] change : stored.changes()) {
                reloaded.applyEncodedChanges(change);
            }

            assertArrayEquals(original.getHeads(), reloaded.getHeads());
            for (int i = 0; i < 8; i++) {
                AmValue value = reloaded.get(ObjectId.ROOT, "key-" + i).orElseThrow();
                assertEquals(i * 10L, ((AmValue.Int) value).getValue());
            }
            assertArrayEquals(original.save(), reloaded.save());
        } finally {
            original.free();
            if (reloaded != null) {
                reloaded.free();
            }
        }
    }
}
