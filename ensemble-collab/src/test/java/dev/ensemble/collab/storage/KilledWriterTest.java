package dev.ensemble.collab.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
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
        Set<Long> reported = new ConcurrentSkipListSet<>();
        for (int round = 0; round < 2; round++) {
            long first = round * 1_000_000L + 1;
            int killAfter = 100 + random.nextInt(200);
            Path stderr = root.resolve("stderr-" + round + ".txt");
            Process process = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx64m",
                            "-XX:TieredStopAtLevel=1",
                            "-cp",
                            System.getProperty("java.class.path"),
                            AppendingProcess.class.getName(),
                            directory.toString(),
                            String.valueOf(first),
                            "37")
                    .redirectError(stderr.toFile())
                    .start();
            Set<Long> thisRound = new ConcurrentSkipListSet<>();
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader lines = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                                thisRound.add(Long.parseLong(line.trim()));
                            }
                        } catch (Exception e) {
                            // The pipe breaks when the process is killed; what was read until then counts.
                        }
                    },
                    "killed-writer-stdout");
            reader.start();
            try {
                Await.until(
                        "the writer prints " + killAfter + " numbers (or dies)",
                        Duration.ofSeconds(60),
                        () -> thisRound.size() >= killAfter || !process.isAlive(),
                        () -> "it printed " + thisRound.size());
                assertTrue(process.isAlive(), () -> "writer died on its own: " + read(stderr));
                if (round == 0) {
                    StorageException locked =
                            assertThrows(StorageException.class, () -> FileDocumentStorage.open(directory));
                    assertTrue(
                            locked.getMessage().startsWith("storage directory is in use by another process"),
                            locked.getMessage());
                }
            } finally {
                // SIGKILL through the handle: Process.destroyForcibly() would also close our end of
                // stdout and drop numbers the writer printed (and so reported saved) just before.
                process.toHandle().destroyForcibly();
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), "killed writer did not exit");
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
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

    private static String read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines);
        } catch (Exception e) {
            return "(no stderr: " + e + ")";
        }
    }
}
