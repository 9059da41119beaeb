package dev.ensemble.collab.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code contains} and {@code release}: what a server that serves many documents, and is asked for
 * ids it never saw, needs so that it holds neither a file nor an entry per id ever named.
 */
class FileDocumentStorageReleaseTest {
    @TempDir
    Path directory;

    @Test
    void containsAnswersWithoutCreatingAnythingForAnUnknownDocument() throws Exception {
        try (FileDocumentStorage storage = FileDocumentStorage.open(directory)) {
            assertFalse(storage.contains("never-written"));
            assertFalse(Files.exists(directory.resolve("documents/never-written")));
            storage.append("written", new byte[] {1});
            assertTrue(storage.contains("written"));
        }
        try (FileDocumentStorage reopened = FileDocumentStorage.open(directory)) {
            assertTrue(reopened.contains("written"), "found on disk by a new storage");
            assertFalse(reopened.contains("never-written"));
        }
    }

    @Test
    void releaseClosesEachDocumentsLogAndTheNextAppendReopensIt() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "counts open files through /proc");
        try (FileDocumentStorage storage = FileDocumentStorage.open(directory)) {
            long before = openFilesUnder(directory);
            for (int i = 0; i < 50; i++) {
                storage.append("doc-" + i, new byte[] {(byte) i});
            }
            long holding = openFilesUnder(directory);
            assertTrue(holding - before >= 50, "one open log per document: " + before + " -> " + holding);
            for (int i = 0; i < 50; i++) {
                storage.release("doc-" + i);
            }
            long released = openFilesUnder(directory);
            assertTrue(holding - released >= 50, "released: " + holding + " -> " + released);

            assertEquals(2, storage.append("doc-7", new byte[] {70}), "the sequence goes on after a release");
            StoredDocument doc = storage.load("doc-7");
            assertEquals(2, doc.changeCount());
            assertArrayEquals(new byte[] {70}, doc.changes().get(1));
            storage.release("never-used");
        }
    }

    /**
     * Open files of this process under {@code root}: only the storage's own, since other tests'
     * sockets and files may still be closing on other threads while this one counts.
     */
    private static long openFilesUnder(Path root) throws Exception {
        Path real = root.toRealPath();
        try (Stream<Path> files = Files.list(Path.of("/proc/self/fd"))) {
            return files.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).startsWith(real);
                        } catch (IOException | UnsupportedOperationException gone) {
                            // Closed between the listing and the read: not one of ours any more.
                            return false;
                        }
                    })
                    .count();
        }
    }
}
