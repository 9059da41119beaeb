package dev.ensemble.collab.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A storage operation failed: the data it was asked to save is <em>not</em> known to be durable.
 *
 * <p>Thrown by {@link DocumentStorage#append}, {@link DocumentStorage#compact},
 * {@link DocumentStorage#delete} and by opening a storage, for example when the disk is full, an
 * {@code fsync} fails or the directory is in use by another process. Damaged data found while
 * loading is not thrown but reported as {@link StorageProblem}s. The message names the file and
 * the byte offset where they are known; so do {@link #file()} and {@link #offset()}.
 */
public class StorageException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Offset reported when no byte position applies. */
    public static final long NO_OFFSET = -1;

    private final transient Path file;
    private final long offset;

    /**
     * Creates an exception about a file position.
     *
     * @param message what failed and what to do about it
     * @param file the file involved, or {@code null} if none
     * @param offset the byte offset in {@code file}, or {@link #NO_OFFSET}
     * @param cause the underlying failure, or {@code null}
     */
    public StorageException(String message, Path file, long offset, Throwable cause) {
        super(describe(message, file, offset), cause);
        this.file = file;
        this.offset = offset;
    }

    /**
     * Creates an exception that concerns no particular file.
     *
     * @param message what failed and what to do about it
     * @param cause the underlying failure, or {@code null}
     */
    public StorageException(String message, Throwable cause) {
        this(message, null, NO_OFFSET, cause);
    }

    /** @return the file involved, if one is known */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** @return the byte offset in {@link #file()}, or {@link #NO_OFFSET} */
    public long offset() {
        return offset;
    }

    private static String describe(String message, Path file, long offset) {
        if (file == null) {
            return message;
        }
        return offset == NO_OFFSET
                ? message + " [file " + file + "]"
                : message + " [file " + file + ", offset " + offset + "]";
    }
}
