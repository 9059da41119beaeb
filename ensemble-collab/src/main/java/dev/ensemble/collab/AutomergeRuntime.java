package dev.ensemble.collab;

import org.automerge.Document;

/**
 * Loads automerge-java in a safe order. Touching {@code ObjectId.ROOT}, {@code SyncState} or
 * {@code PatchLog} before the first {@code Document} exists breaks {@code ObjectId} for the rest
 * of the JVM (measured with automerge-java 0.0.7), so every class here that uses them calls
 * {@link #ensureLoaded()} first.
 */
final class AutomergeRuntime {
    static {
        new Document().free();
    }

    private AutomergeRuntime() {}

    /** Creates (and frees) a first Document, once per JVM. */
    static void ensureLoaded() {
        // The static initialiser does the work; calling this method triggers it.
    }
}
