package dev.ensemble.transport.ws.repo;

/** What the interop tests do to a {@link JsonDocument}. */
interface JsonDocumentActions {
    /** Sets a top-level key to a JSON value (strings become text, by the text rule). */
    void put(String key, String json);

    /** Inserts text into the text under a top-level key. */
    void insertText(String key, int index, String text);
}
