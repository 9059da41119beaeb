package dev.ensemble.collab.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One piece of stored data that could not be recovered while loading a document: where it was
 * and what was wrong with it. Loading continues past a problem; everything before it (and every
 * other readable file) still loads.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * StoredDocument stored = storage.load("piano-room");
 * stored.problems().forEach(p -> log.warn("lost data in {}", p));
 * }</pre>
 *
 * @param file the file the problem was found in
 * @param offset the byte offset in {@code file} where the unreadable data starts
 * @param description what was wrong and what was done about it
 */
public record StorageProblem(Path file, long offset, String description) {

    /** Validates the components. */
    public StorageProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(description, "description");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
    }

    @Override
    public String toString() {
        return file + " at offset " + offset + ": " + description;
    }
}
