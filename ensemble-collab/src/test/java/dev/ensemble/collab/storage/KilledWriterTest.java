package dev.ensemble.collab.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a separate JVM with SIGKILL while it appends and compacts, then checks that every change
 * it reported saved loads. Two rounds on one directory: the second also recovers from the first
 * kill and keeps writing. While the writer runs, its directory lock keeps this JVM out.
 */
class KilledWriterTest {

    @TempDir
    Path root;

    @Test
    void killedWriterLosesNothingItReportedSaved() throws Exception {
        Path directory = root.resolve("storage");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Set<Long> reported = new TreeSet<>();
        for (int round = 0; round < 2; round++) {
            long first = round * 1_000_000L + 1;
            int killAfter = 100 + random.nextInt(200);
            Set<Long> thisRound = new TreeSet<>();
            try (ChildProcess writer = ChildProcess.builder(JavaCommand.of(AppendingProcess.class)
                            .jvmOptions("-Xmx64m", "-XX:TieredStopAtLevel=1")
                            .args(directory.toString(), String.valueOf(first), "37"))
                    .start(root, "writer-" + round)) {
                Await.until(
                        "the writer prints " + killAfter + " numbers (or dies)",
                        Duration.ofSeconds(60),
                        () -> writer.stdout().size() >= killAfter || !writer.isAlive(),
                        writer::describe);
                writer.assertAlive();
                if (round == 0) {
                    StorageException locked =
                            assertThrows(StorageException.class, () -> FileDocumentStorage.open(directory));
                    assertTrue(
                            locked.getMessage().startsWith("storage directory is in use by another process"),
                            locked.getMessage());
                }
                writer.kill();
                // Its output is a file: every number it printed before the kill, and so reported
                // saved, is there. A number cut off in the middle ends no line and is not counted.
                writer.stdout().forEach(line -> thisRound.add(Long.parseLong(line.trim())));
            }
            assertTrue(thisRound.size() >= killAfter, "read " + thisRound.size() + " numbers");
            reported.addAll(thisRound);

            try (FileDocumentStorage storage = FileDocumentStorage.open(directory)) {
                StoredDocument stored = storage.load(AppendingProcess.DOCUMENT);
                Set<Long> loaded = DocumentStorageContractTest.contents(stored);
                Set<Long> missing = new TreeSet<>(reported);
                missing.removeAll(loaded);
                assertEquals(
                        Set.of(),
                        missing,
                        "seed " + seed + ", round " + round + ": reported saved but lost;" + " problems: "
                                + stored.problems());
                // Each kill may land after an append returned but before its number was printed.
                assertTrue(
                        loaded.size() <= reported.size() + round + 1,
                        "more changes loaded than written: " + loaded.size() + " > " + reported.size());
            }
        }
    }
}
