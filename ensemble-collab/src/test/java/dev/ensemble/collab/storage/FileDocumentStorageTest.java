package dev.ensemble.collab.storage;

import static dev.ensemble.collab.storage.DocumentStorageContractTest.change;
import static dev.ensemble.collab.storage.DocumentStorageContractTest.contents;
import static dev.ensemble.collab.storage.DocumentStorageContractTest.snapshotOf;
import static dev.ensemble.collab.storage.DocumentStorageContractTest.strings;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ensemble.collab.storage.FaultInjectingOpener.Operation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File-specific behaviour of {@link FileDocumentStorage}: restarts, damaged files, failing disks. */
class FileDocumentStorageTest {

    private static final String DOC = "doc";

    @TempDir
    Path root;

    private static Path documentDirectory(Path storageDirectory) {
        return storageDirectory.resolve(FileDocumentStorage.DOCUMENTS_DIRECTORY).resolve(DOC);
    }

    private static Path logFile(Path storageDirectory, long generation) {
        return documentDirectory(storageDirectory).resolve(DocumentFiles.logName(generation));
    }

    private static Path snapshotFile(Path storageDirectory) {
        return documentDirectory(storageDirectory).resolve(DocumentFiles.SNAPSHOT_FILE);
    }

    private static Set<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    /** A log file as the storage writes it, built directly so that large ones are quick to make. */
    private static byte[] logBytes(List<byte[]> changes, long firstSequence) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(RecordFormat.fileHeader(RecordFormat.LOG_MAGIC));
        for (int i = 0; i < changes.size(); i++) {
            out.writeBytes(RecordFormat.encode(firstSequence + i, changes.get(i)));
        }
        return out.toByteArray();
    }

    /** Offsets at which each record of a log ends, for a log of the given changes. */
    private static List<Integer> recordEnds(List<byte[]> changes) {
        List<Integer> ends = new ArrayList<>();
        int at = RecordFormat.FILE_HEADER_LENGTH;
        for (byte[] change : changes) {
            at += RecordFormat.RECORD_HEADER_LENGTH + RecordFormat.SEQUENCE_LENGTH + change.length;
            ends.add(at);
        }
        return ends;
    }

    private static void writeFile(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    @Test
    void restartReloadsExactly() throws Exception {
        Path dir = root.resolve("store");
        StoredDocument before;
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            for (long i = 1; i <= 10; i++) {
                storage.append(DOC, change(i));
                if (i == 6) {
                    storage.compact(DOC, snapshotOf(range(1, 6)), 6);
                }
            }
            before = storage.load(DOC);
        }
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            StoredDocument after = storage.load(DOC);
            assertArrayEquals(before.snapshot().orElseThrow(), after.snapshot().orElseThrow());
            assertEquals(strings(before.changes()), strings(after.changes()));
            assertEquals(List.of("change-7", "change-8", "change-9", "change-10"), strings(after.changes()));
            assertEquals(6, after.snapshotSequence());
            assertEquals(10, after.lastSequence());
            assertTrue(after.problems().isEmpty());
            assertEquals(11, storage.append(DOC, change(11)));
        }
    }

    @Test
    void compactionLeavesOneLogHoldingOnlyTheUncoveredChanges() throws Exception {
        Path dir = root.resolve("store");
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            for (long i = 1; i <= 6; i++) {
                storage.append(DOC, change(i));
            }
            storage.compact(DOC, snapshotOf(range(1, 4)), 4);
            storage.compact(DOC, snapshotOf(range(1, 5)), 5);
        }
        try (Stream<Path> files = Files.list(documentDirectory(dir))) {
            assertEquals(
                    List.of("changes-0000000000000003.log", "snapshot.bin"),
                    files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
        assertArrayEquals(logBytes(List.of(change(6)), 6), Files.readAllBytes(logFile(dir, 3)));
    }

    @Test
    void bytesAfterTheSnapshotRecordAreReportedAndTheSnapshotLoads() throws Exception {
        Path dir = root.resolve("store");
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            storage.append(DOC, change(1));
            storage.compact(DOC, snapshotOf(range(1, 1)), 1);
        }
        long size = Files.size(snapshotFile(dir));
        Files.write(snapshotFile(dir), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            StoredDocument stored = storage.load(DOC);
            assertEquals(Set.of(1L), contents(stored));
            assertEquals(
                    List.of(new StorageProblem(
                            snapshotFile(dir), size, "unexpected bytes after the snapshot record are ignored")),
                    stored.problems());
        }
    }

    @Test
    void logCutAtEveryOffsetReloadsEveryCompleteRecordBeforeTheCut() throws Exception {
        List<byte[]> changes =
                List.of(change(1), new byte[0], change(333), "x".repeat(40).getBytes(UTF_8), change(5));
        byte[] full = logBytes(changes, 1);
        List<Integer> ends = recordEnds(changes);
        for (int cut = 0; cut <= full.length; cut++) {
            Path dir = root.resolve("cut-" + cut);
            Path log = logFile(dir, 1);
            writeFile(log, Arrays.copyOf(full, cut));
            int complete = 0;
            while (complete < ends.size() && ends.get(complete) <= cut) {
                complete++;
            }
            List<String> expected = strings(changes.subList(0, complete));
            boolean clean = cut == RecordFormat.FILE_HEADER_LENGTH || ends.contains(cut);

            try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
                StoredDocument stored = storage.load(DOC);
                assertEquals(expected, strings(stored.changes()), "cut at " + cut);
                if (clean) {
                    assertTrue(stored.problems().isEmpty(), "cut at " + cut + ": " + stored.problems());
                } else {
                    assertEquals(1, stored.problems().size(), "cut at " + cut + ": " + stored.problems());
                    StorageProblem problem = stored.problems().get(0);
                    assertEquals(log, problem.file());
                    long intactEnd = cut < RecordFormat.FILE_HEADER_LENGTH
                            ? 0
                            : complete == 0 ? RecordFormat.FILE_HEADER_LENGTH : ends.get(complete - 1);
                    assertEquals(intactEnd, problem.offset(), "cut at " + cut);
                }
                storage.append(DOC, change(99));
            }
            try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
                StoredDocument reloaded = storage.load(DOC);
                List<String> withNew = new ArrayList<>(expected);
                withNew.add("change-99");
                assertEquals(withNew, strings(reloaded.changes()), "append after cut at " + cut);
                assertTrue(reloaded.problems().isEmpty(), "cut at " + cut + ": " + reloaded.problems());
            }
        }
    }

    @Test
    void largeLogCutAtRandomOffsetsReloadsEveryCompleteRecordBeforeTheCut() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<byte[]> changes = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            byte[] change = new byte[random.nextInt(300)];
            random.nextBytes(change);
            changes.add(change);
        }
        byte[] full = logBytes(changes, 1);
        List<Integer> ends = recordEnds(changes);
        for (int trial = 0; trial < 40; trial++) {
            int cut = random.nextInt(full.length + 1);
            Path dir = root.resolve("trial-" + trial);
            writeFile(logFile(dir, 1), Arrays.copyOf(full, cut));
            int complete = 0;
            while (complete < ends.size() && ends.get(complete) <= cut) {
                complete++;
            }
            try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
                StoredDocument stored = storage.load(DOC);
                String context = "seed " + seed + ", cut at " + cut;
                assertEquals(complete, stored.changeCount(), context);
                List<byte[]> loaded = stored.changes();
                for (int i = 0; i < complete; i++) {
                    assertArrayEquals(changes.get(i), loaded.get(i), context + ", change " + i);
                }
                assertEquals(complete, stored.lastSequence(), context);
            }
        }
    }

    @Test
    void snapshotCutAtEveryOffsetIsReportedAndTheLogStillLoads() throws Exception {
        Path source = root.resolve("source");
        try (FileDocumentStorage storage = FileDocumentStorage.open(source)) {
            for (long i = 1; i <= 5; i++) {
                storage.append(DOC, change(i));
            }
            storage.compact(DOC, snapshotOf(range(1, 3)), 3);
        }
        byte[] snapshot = Files.readAllBytes(snapshotFile(source));
        List<Path> logs;
        try (Stream<Path> files = Files.list(documentDirectory(source))) {
            logs = files.filter(f -> f.getFileName().toString().startsWith("changes-"))
                    .collect(Collectors.toList());
        }
        assertEquals(1, logs.size());
        byte[] log = Files.readAllBytes(logs.get(0));

        for (int cut = 0; cut < snapshot.length; cut++) {
            Path dir = root.resolve("cut-" + cut);
            writeFile(snapshotFile(dir), Arrays.copyOf(snapshot, cut));
            writeFile(documentDirectory(dir).resolve(logs.get(0).getFileName()), log);
            try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
                StoredDocument stored = storage.load(DOC);
                assertFalse(stored.snapshot().isPresent(), "cut at " + cut);
                assertEquals(List.of("change-4", "change-5"), strings(stored.changes()), "cut at " + cut);
                assertEquals(2, stored.problems().size(), "cut at " + cut + ": " + stored.problems());
                assertEquals(snapshotFile(dir), stored.problems().get(0).file());
                assertEquals(
                        "changes 1 to 3 are missing; the changes after them are loaded",
                        stored.problems().get(1).description());
                assertEquals(6, storage.append(DOC, change(6)), "cut at " + cut);
            }
        }
    }

    @Test
    void corruptRecordCutsTheLogThereAndKeepsTheCutBytes() throws Exception {
        Path dir = root.resolve("store");
        List<byte[]> changes = List.of(change(1), change(2), change(3), change(4));
        byte[] full = logBytes(changes, 1);
        int third = recordEnds(changes).get(1);
        byte[] damaged = full.clone();
        damaged[third + RecordFormat.RECORD_HEADER_LENGTH + RecordFormat.SEQUENCE_LENGTH + 2] ^= 0x40;
        Path log = logFile(dir, 1);
        writeFile(log, damaged);

        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            StoredDocument stored = storage.load(DOC);
            assertEquals(List.of("change-1", "change-2"), strings(stored.changes()));
            StorageProblem problem = stored.problems().get(0);
            assertEquals(log, problem.file());
            assertEquals(third, problem.offset());
            assertTrue(problem.description().startsWith("record checksum mismatch: stored "), problem.description());
            assertTrue(
                    problem.description()
                            .endsWith("; cut off " + (damaged.length - third)
                                    + " bytes, saved to changes-0000000000000001.log.corrupt-" + third),
                    problem.description());
        }
        assertEquals(third, Files.size(log));
        assertArrayEquals(
                Arrays.copyOfRange(damaged, third, damaged.length),
                Files.readAllBytes(log.resolveSibling(log.getFileName() + ".corrupt-" + third)));
    }

    @Test
    void oversizedLengthFieldIsReportedAsCorrupt() throws Exception {
        Path dir = root.resolve("store");
        byte[] good = logBytes(List.of(change(1)), 1);
        byte[] bogus = ByteBuffer.allocate(64).putInt(0xFFFF_FFF0).putInt(0).array();
        Path log = logFile(dir, 1);
        writeFile(
                log,
                ByteBuffer.allocate(good.length + bogus.length)
                        .put(good)
                        .put(bogus)
                        .array());

        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            StoredDocument stored = storage.load(DOC);
            assertEquals(List.of("change-1"), strings(stored.changes()));
            assertEquals(
                    "record length field 4294967280 is outside 8..67108872; cut off 64 bytes, saved to "
                            + "changes-0000000000000001.log.corrupt-" + good.length,
                    stored.problems().get(0).description());
            assertEquals(good.length, stored.problems().get(0).offset());
        }
    }

    @Test
    void logWithWrongMagicIsMovedAsideAndNewChangesGoToANewLog() throws Exception {
        Path dir = root.resolve("store");
        Path log = logFile(dir, 1);
        writeFile(log, "XXXX-not-a-log-file".getBytes(UTF_8));

        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            StoredDocument stored = storage.load(DOC);
            assertTrue(stored.isEmpty());
            assertEquals(
                    new StorageProblem(
                            log,
                            0,
                            "file does not start with magic \"ENSL\", found \"XXXX\";"
                                    + " none of its 19 bytes are loaded; file moved to changes-0000000000000001.log.corrupt-0"),
                    stored.problems().get(0));
            storage.append(DOC, change(1));
        }
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            StoredDocument stored = storage.load(DOC);
            assertEquals(List.of("change-1"), strings(stored.changes()));
            assertTrue(stored.problems().isEmpty(), stored.problems()::toString);
        }
    }

    @Test
    void unreadableSnapshotIsReportedMovedAsideAndTheLogStillLoads() throws Exception {
        Path dir = root.resolve("store");
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            for (long i = 1; i <= 4; i++) {
                storage.append(DOC, change(i));
            }
            storage.compact(DOC, snapshotOf(range(1, 2)), 2);
        }
        byte[] snapshot = Files.readAllBytes(snapshotFile(dir));
        FaultInjectingOpener opener = new FaultInjectingOpener();
        opener.failWhen((file, operation) -> file.getFileName().toString().equals("snapshot.bin"));
        try (FileDocumentStorage storage =
                FileDocumentStorage.builder(dir).channelOpener(opener).build()) {
            StoredDocument stored = storage.load(DOC);
            assertEquals(List.of("change-3", "change-4"), strings(stored.changes()));
            StorageProblem problem = stored.problems().get(0);
            assertEquals(snapshotFile(dir), problem.file());
            assertEquals(0, problem.offset());
            assertTrue(
                    problem.description().startsWith("snapshot is unreadable (java.io.IOException: injected OPEN"),
                    problem.description());
            assertTrue(problem.description().endsWith("; file moved to snapshot.bin.corrupt-0"), problem.description());
        }
        assertArrayEquals(snapshot, Files.readAllBytes(snapshotFile(dir).resolveSibling("snapshot.bin.corrupt-0")));
    }

    @Test
    void unreadableLogIsMovedAsideAndNewChangesDoNotReuseItsSequenceNumbers() throws Exception {
        Path dir = root.resolve("store");
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            storage.append(DOC, change(1));
        }
        FaultInjectingOpener opener = new FaultInjectingOpener();
        Path firstLog = logFile(dir, 1);
        opener.failWhen((file, operation) -> file.equals(firstLog));
        try (FileDocumentStorage storage =
                FileDocumentStorage.builder(dir).channelOpener(opener).build()) {
            StoredDocument stored = storage.load(DOC);
            assertTrue(stored.isEmpty());
            StorageProblem problem = stored.problems().get(0);
            assertEquals(firstLog, problem.file());
            assertTrue(
                    problem.description()
                            .endsWith("; its changes are not loaded; file moved to "
                                    + "changes-0000000000000001.log.corrupt-0"),
                    problem.description());
            storage.append(DOC, change(2));
        }
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            StoredDocument stored = storage.load(DOC);
            assertEquals(Set.of(2L), contents(stored));
            assertTrue(stored.problems().isEmpty(), stored.problems()::toString);
        }
        Path asideDir = root.resolve("aside");
        writeFile(
                logFile(asideDir, 1),
                Files.readAllBytes(firstLog.resolveSibling(firstLog.getFileName() + ".corrupt-0")));
        try (FileDocumentStorage storage = FileDocumentStorage.open(asideDir)) {
            assertEquals(Set.of(1L), contents(storage.load(DOC)));
        }
    }

    @Test
    void failedWriteIsReportedAsAFailedSave() throws Exception {
        failedOperationIsReportedAsAFailedSave(Operation.WRITE);
    }

    @Test
    void failedFsyncIsReportedAsAFailedSave() throws Exception {
        failedOperationIsReportedAsAFailedSave(Operation.FORCE);
    }

    private void failedOperationIsReportedAsAFailedSave(Operation failing) throws Exception {
        Path dir = root.resolve("store");
        FaultInjectingOpener opener = new FaultInjectingOpener();
        try (FileDocumentStorage storage =
                FileDocumentStorage.builder(dir).channelOpener(opener).build()) {
            storage.append(DOC, change(1));
            storage.append(DOC, change(2));
            long end = Files.size(logFile(dir, 1));
            opener.failWhen((file, operation) -> operation == failing);

            StorageException e = assertThrows(StorageException.class, () -> storage.append(DOC, change(3)));
            assertEquals(
                    "could not save change 3 of document doc: injected " + failing + " failure on "
                            + "changes-0000000000000001.log (No space left on device); the change is not saved, retry after"
                            + " fixing the cause [file " + logFile(dir, 1) + ", offset " + end + "]",
                    e.getMessage());
            assertEquals(logFile(dir, 1), e.file().orElseThrow());
            assertEquals(end, e.offset());

            opener.heal();
            assertEquals(3, storage.append(DOC, change(4)));
        }
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            StoredDocument stored = storage.load(DOC);
            assertEquals(List.of("change-1", "change-2", "change-4"), strings(stored.changes()));
            assertTrue(stored.problems().isEmpty(), stored.problems()::toString);
        }
    }

    @Test
    void fullDiskIsReportedAsAFailedSave() throws Exception {
        Path devFull = Path.of("/dev/full");
        assumeTrue(Files.isWritable(devFull), "needs /dev/full (Linux)");
        Path dir = root.resolve("store");
        FaultInjectingOpener opener = new FaultInjectingOpener();
        try (FileDocumentStorage storage =
                FileDocumentStorage.builder(dir).channelOpener(opener).build()) {
            storage.append(DOC, change(1));
            storage.load(DOC);
            opener.redirect(logFile(dir, 1), devFull);

            StorageException e = assertThrows(StorageException.class, () -> storage.append(DOC, change(2)));
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());

            opener.heal();
            assertEquals(2, storage.append(DOC, change(3)));
        }
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            assertEquals(
                    List.of("change-1", "change-3"), strings(storage.load(DOC).changes()));
        }
    }

    @Test
    void failedSnapshotWriteKeepsThePreviousSnapshotAndEveryChange() throws Exception {
        Path dir = root.resolve("store");
        FaultInjectingOpener opener = new FaultInjectingOpener();
        try (FileDocumentStorage storage =
                FileDocumentStorage.builder(dir).channelOpener(opener).build()) {
            storage.append(DOC, change(1));
            storage.compact(DOC, snapshotOf(range(1, 1)), 1);
            storage.append(DOC, change(2));
            opener.failWhen((file, operation) -> operation == Operation.FORCE
                    && file.getFileName().toString().equals("snapshot.bin.tmp"));

            StorageException e =
                    assertThrows(StorageException.class, () -> storage.compact(DOC, snapshotOf(range(1, 2)), 2));
            assertTrue(
                    e.getMessage().startsWith("could not write the snapshot of document doc: injected FORCE"),
                    e.getMessage());
            assertFalse(Files.exists(snapshotFile(dir).resolveSibling("snapshot.bin.tmp")));
        }
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            StoredDocument stored = storage.load(DOC);
            assertEquals("[1]", new String(stored.snapshot().orElseThrow(), UTF_8));
            assertEquals(List.of("change-2"), strings(stored.changes()));
        }
    }

    /**
     * Fails the first, second, third ... file operation of a compaction in turn, until a
     * compaction runs without reaching the failure: after each, a restart must load everything.
     */
    @Test
    void compactionFailingAtAnyStepLosesNothing() throws Exception {
        int step = 1;
        for (boolean fired = true; fired; step++) {
            Path dir = root.resolve("step-" + step);
            FaultInjectingOpener opener = new FaultInjectingOpener();
            boolean compacted;
            try (FileDocumentStorage storage =
                    FileDocumentStorage.builder(dir).channelOpener(opener).build()) {
                for (long i = 1; i <= 5; i++) {
                    storage.append(DOC, change(i));
                }
                opener.failNthOperation(step);
                try {
                    storage.compact(DOC, snapshotOf(range(1, 3)), 3);
                    compacted = true;
                } catch (StorageException e) {
                    compacted = false;
                }
                fired = opener.fired();
                opener.heal();
                storage.append(DOC, change(6));
            }
            try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
                StoredDocument stored = storage.load(DOC);
                assertEquals(range(1, 6), contents(stored), "failure at step " + step);
                assertTrue(stored.problems().isEmpty(), "failure at step " + step + ": " + stored.problems());
                if (compacted) {
                    assertEquals(3, stored.snapshotSequence(), "failure at step " + step);
                }
            }
            assertTrue(step < 100, "compaction never finished without reaching the injected failure");
        }
        assertTrue(step > 5, "expected several file operations per compaction, saw " + step);
    }

    @Test
    void leftoverTempFilesAreIgnoredAndRemoved() throws Exception {
        Path dir = root.resolve("store");
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            storage.append(DOC, change(1));
        }
        Path snapshotTemp = documentDirectory(dir).resolve("snapshot.bin.tmp");
        Path logTemp = documentDirectory(dir).resolve(DocumentFiles.logName(2) + ".tmp");
        writeFile(snapshotTemp, "half a snapsh".getBytes(UTF_8));
        writeFile(logTemp, "ENSL".getBytes(UTF_8));
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            StoredDocument stored = storage.load(DOC);
            assertEquals(List.of("change-1"), strings(stored.changes()));
            assertFalse(stored.snapshot().isPresent());
            assertTrue(stored.problems().isEmpty());
        }
        assertFalse(Files.exists(snapshotTemp));
        assertFalse(Files.exists(logTemp));
    }

    @Test
    void changesInTwoGenerationsAfterAnInterruptedRotationLoadOnce() throws Exception {
        Path dir = root.resolve("store");
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            for (long i = 1; i <= 3; i++) {
                storage.append(DOC, change(i));
            }
        }
        Files.copy(logFile(dir, 1), logFile(dir, 2));
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            StoredDocument stored = storage.load(DOC);
            assertEquals(List.of("change-1", "change-2", "change-3"), strings(stored.changes()));
            assertTrue(stored.problems().isEmpty());
            assertEquals(4, storage.append(DOC, change(4)));
        }
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            assertEquals(range(1, 4), contents(storage.load(DOC)));
        }
    }

    @Test
    void missingChangesBetweenGenerationsAreReported() throws Exception {
        Path dir = root.resolve("store");
        writeFile(logFile(dir, 1), logBytes(List.of(change(1), change(2)), 1));
        writeFile(logFile(dir, 2), logBytes(List.of(change(5)), 5));
        try (FileDocumentStorage storage = FileDocumentStorage.open(dir)) {
            StoredDocument stored = storage.load(DOC);
            assertEquals(Set.of(1L, 2L, 5L), contents(stored));
            assertEquals(
                    List.of(new StorageProblem(
                            logFile(dir, 2),
                            RecordFormat.FILE_HEADER_LENGTH,
                            "changes 3 to 4 are missing; the changes after them are loaded")),
                    stored.problems());
        }
    }

    @Test
    void rejectsAChangeLargerThanTheRecordLimit() throws Exception {
        try (FileDocumentStorage storage =
                FileDocumentStorage.builder(root).maxRecordBytes(16).build()) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> storage.append(DOC, new byte[17]));
            assertEquals(
                    "change of document doc must be at most 16 bytes (FileDocumentStorage.Builder.maxRecordBytes),"
                            + " was 17",
                    e.getMessage());
            assertTrue(storage.load(DOC).isEmpty());
        }
    }

    @Test
    void secondStorageOnTheSameDirectoryIsRejected() throws Exception {
        try (FileDocumentStorage storage = FileDocumentStorage.open(root)) {
            StorageException e = assertThrows(StorageException.class, () -> FileDocumentStorage.open(root));
            assertTrue(e.getMessage().startsWith("storage directory is already open in this JVM"), e.getMessage());
            storage.append(DOC, change(1));
        }
        try (FileDocumentStorage storage = FileDocumentStorage.open(root)) {
            assertEquals(1, storage.load(DOC).changeCount());
        }
    }
}
