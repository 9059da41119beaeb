package dev.ensemble.collab.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Runs the storage contract against {@link FileDocumentStorage} on real files. */
class FileDocumentStorageContractTest extends DocumentStorageContractTest {

    @TempDir
    Path directory;

    @Override
    protected DocumentStorage newStorage() throws StorageException {
        return FileDocumentStorage.open(directory);
    }
}
