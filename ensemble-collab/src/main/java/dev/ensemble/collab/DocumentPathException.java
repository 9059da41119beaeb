package dev.ensemble.collab;

/**
 * A transaction addressed something the document does not have, or has in another shape: a
 * missing key, an index out of range, a list where a map was expected. The transaction is rolled
 * back and the document is unchanged.
 */
public final class DocumentPathException extends IllegalArgumentException {
    /**
     * @param message the path, what was expected and what was found
     */
    public DocumentPathException(String message) {
        super(message);
    }
}
