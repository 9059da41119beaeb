package dev.ensemble.doc;

import dev.ensemble.collab.DocPath;
import java.util.concurrent.CompletableFuture;

/** What the command line does to a document. */
interface JsonDocActions {
    /**
     * Sets the value at a path (strings become text, by the text rule). Ask: completes once the
     * change is in the document, or fails naming the path.
     */
    CompletableFuture<Void> set(DocPath path, String json);
}
