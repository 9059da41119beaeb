package dev.ensemble.collab.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link DocumentStorage} on the local file system: per document a snapshot file and an
 * append-only change log, every record checksummed, every save fsynced before it is reported.
 *
 * <h2>Layout</h2>
 * <pre>
 * directory/
 *   storage.lock                      held (OS file lock) while a storage has the directory open
 *   documents/&lt;documentId&gt;/
 *     snapshot.bin                    "ENSS" v1, one record: covered sequence + snapshot bytes
 *     changes-0000000000000003.log    "ENSL" v1, records: sequence + change bytes
 * </pre>
 * Each record is {@code [length u32][crc32c u32][sequence u64][bytes]}, big-endian, the CRC over
 * the length field and the payload; {@code docs/STORAGE.md} has the byte diagrams.
 *
 * <h2>Crash safety</h2>
 * {@link #append} writes one record at the end of the newest log and calls
 * {@code FileChannel.force} before returning. {@link #compact} writes the snapshot to a temp
 * file, fsyncs it, renames it over the old one atomically and fsyncs the directory; only then does
 * it copy the changes the snapshot does not cover into a new log generation and delete the old
 * ones. At every instant the snapshot plus the log records above its covered sequence are the
 * complete saved document, so a crash at any step loses nothing that was reported saved.
 *
 * <h2>Damage</h2>
 * On {@link #load} (and before the first append to a document) a torn or corrupt log tail (short
 * header, length out of range, short payload, checksum mismatch, sequence out of order) is copied
 * to {@code <log>.corrupt-<offset>}, cut off the log, logged at WARN and returned as a
 * {@link StorageProblem}; the records before it load. A corrupt or unreadable snapshot is moved to
 * {@code snapshot.bin.corrupt-0} and reported; the changes in the log still load. Nothing is
 * thrown for damaged data.
 *
 * <h2>Threading</h2>
 * Thread-safe, see {@link DocumentStorage}. One directory may be open by one storage at a time,
 * in this process or another; a second {@link Builder#build()} fails with a
 * {@link StorageException}.
 *
 * <pre>{@code
 * try (FileDocumentStorage storage = FileDocumentStorage.open(Path.of("data/documents"))) {
 *     StoredDocument stored = storage.load("piano-room");
 *     long seq = storage.append("piano-room", change);
 * }
 * }</pre>
 */
public final class FileDocumentStorage implements DocumentStorage {

    /** Default for {@link Builder#maxRecordBytes(int)}: 64 MiB. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

    static final String LOCK_FILE = "storage.lock";
    static final String DOCUMENTS_DIRECTORY = "documents";

    private final Path directory;
    private final Path documentsDirectory;
    private final FileIo io;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ConcurrentMap<String, DocumentFiles> documents = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private FileDocumentStorage(Builder builder) throws StorageException {
        this.directory = builder.directory;
        this.documentsDirectory = directory.resolve(DOCUMENTS_DIRECTORY);
        this.io = new FileIo(builder.opener, builder.maxRecordBytes);
        Path lockFile = directory.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            io.createDirectoryDurably(documentsDirectory);
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock acquired = channel.tryLock();
            if (acquired == null) {
                throw new StorageException(
                        "storage directory is in use by another process; stop it or use" + " another directory",
                        lockFile,
                        StorageException.NO_OFFSET,
                        null);
            }
            this.lockChannel = channel;
            this.lock = acquired;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new StorageException(
                    "storage directory is already open in this JVM; share that"
                            + " FileDocumentStorage or close it first",
                    lockFile,
                    StorageException.NO_OFFSET,
                    e);
        } catch (StorageException e) {
            closeQuietly(channel);
            throw e;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StorageException(
                    "could not open storage directory: " + e.getMessage(), directory, StorageException.NO_OFFSET, e);
        }
    }

    /**
     * Opens a storage in {@code directory} with default settings, creating the directory if needed.
     *
     * @param directory where documents are kept
     * @return the open storage
     * @throws StorageException if the directory cannot be created or is in use
     */
    public static FileDocumentStorage open(Path directory) throws StorageException {
        return builder(directory).build();
    }

    /**
     * Starts configuring a storage in {@code directory}.
     *
     * @param directory where documents are kept; created if missing
     * @return a builder with default settings
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** @return the directory this storage keeps its documents in */
    public Path directory() {
        return directory;
    }

    @Override
    public StoredDocument load(String documentId) throws StorageException {
        return files(documentId).load();
    }

    /** Looks for the document's directory, without opening or remembering anything of it. */
    @Override
    public boolean contains(String documentId) {
        DocumentIds.requireValid(documentId);
        if (closed) {
            throw new IllegalStateException("storage is closed: open a new FileDocumentStorage for " + directory);
        }
        return documents.containsKey(documentId) || Files.isDirectory(documentsDirectory.resolve(documentId));
    }

    /** Closes the document's change log and forgets it until it is used again. */
    @Override
    public void release(String documentId) {
        DocumentFiles files = documents.remove(DocumentIds.requireValid(documentId));
        if (files != null) {
            files.close();
        }
    }

    @Override
    public long append(String documentId, byte[] change) throws StorageException {
        Objects.requireNonNull(change, "change");
        return files(documentId).append(change);
    }

    @Override
    public void compact(String documentId, byte[] snapshot, long coveredSequence) throws StorageException {
        Objects.requireNonNull(snapshot, "snapshot");
        files(documentId).compact(snapshot, coveredSequence);
    }

    @Override
    public void delete(String documentId) throws StorageException {
        files(documentId).delete();
    }

    @Override
    public synchronized void close() throws StorageException {
        if (closed) {
            return;
        }
        closed = true;
        documents.values().forEach(DocumentFiles::close);
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new StorageException(
                    "could not release the storage lock: " + e.getMessage(),
                    directory.resolve(LOCK_FILE),
                    StorageException.NO_OFFSET,
                    e);
        }
    }

    private DocumentFiles files(String documentId) {
        DocumentIds.requireValid(documentId);
        if (closed) {
            throw new IllegalStateException("storage is closed: open a new FileDocumentStorage for " + directory);
        }
        return documents.computeIfAbsent(documentId, id -> new DocumentFiles(id, documentsDirectory.resolve(id), io));
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already failing; the original error is the one to report.
            }
        }
    }

    /**
     * Settings of a {@link FileDocumentStorage}. Not thread-safe; {@link #build()} opens the
     * storage.
     *
     * <pre>{@code
     * FileDocumentStorage storage = FileDocumentStorage.builder(dir).maxRecordBytes(8 << 20).build();
     * }</pre>
     */
    public static final class Builder {

        private final Path directory;
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private ChannelOpener opener = ChannelOpener.DEFAULT;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /**
         * Sets the largest change or snapshot accepted, in bytes. Larger ones are rejected on
         * save; on load, a record whose length field exceeds it counts as corrupt.
         *
         * @param maxRecordBytes at least 1
         * @return this builder
         */
        public Builder maxRecordBytes(int maxRecordBytes) {
            if (maxRecordBytes < 1 || maxRecordBytes > Integer.MAX_VALUE - 64) {
                throw new IllegalArgumentException(
                        "maxRecordBytes must be 1.." + (Integer.MAX_VALUE - 64) + ", was " + maxRecordBytes);
            }
            this.maxRecordBytes = maxRecordBytes;
            return this;
        }

        Builder channelOpener(ChannelOpener opener) {
            this.opener = Objects.requireNonNull(opener, "opener");
            return this;
        }

        /**
         * Creates the directory if needed, takes its lock and returns the open storage.
         *
         * @return the storage
         * @throws StorageException if the directory cannot be created or another storage has it open
         */
        public FileDocumentStorage build() throws StorageException {
            return new FileDocumentStorage(this);
        }
    }
}
