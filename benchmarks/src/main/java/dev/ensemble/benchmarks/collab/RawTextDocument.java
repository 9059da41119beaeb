package dev.ensemble.benchmarks.collab;

import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;

/**
 * The comparator: an automerge-java {@link Document} with one text object, edited with {@code
 * Transaction.spliceText} and {@code commit}, one change per edit, with nothing around it. Not
 * thread-safe: one thread at a time (automerge-java documents must not be used concurrently).
 * Close it to free the native document.
 *
 * <pre>{@code
 * try (RawTextDocument raw = RawTextDocument.create()) {
 *     raw.replay(trace, 0, trace.size());
 *     assert raw.text().equals(trace.endContent());
 * }
 * }</pre>
 */
public final class RawTextDocument implements AutoCloseable {
    private final Document document;
    private final ObjectId text;

    private RawTextDocument(Document document, ObjectId text) {
        this.document = document;
        this.text = text;
    }

    /** @return a new document holding an empty text under the key {@code text} */
    public static RawTextDocument create() {
        Document document = new Document();
        ObjectId text;
        try (Transaction tx = document.startTransaction()) {
            text = tx.set(ObjectId.ROOT, "text", ObjectType.TEXT);
            tx.commit();
        }
        return new RawTextDocument(document, text);
    }

    /**
     * Applies edits {@code [from, to)} of a trace, one change each.
     *
     * @param trace the trace
     * @param from the first edit, inclusive
     * @param to the last edit, exclusive
     */
    public void replay(EditTrace trace, int from, int to) {
        for (int i = from; i < to; i++) {
            try (Transaction tx = document.startTransaction()) {
                tx.spliceText(text, trace.position(i), trace.deleteCount(i), trace.insert(i));
                tx.commit();
            }
        }
    }

    /**
     * Inserts text in one change.
     *
     * @param at the position, in code points
     * @param insert what to insert
     */
    public void splice(int at, String insert) {
        try (Transaction tx = document.startTransaction()) {
            tx.spliceText(text, at, 0, insert);
            tx.commit();
        }
    }

    /** @return the text */
    public String text() {
        return document.text(text).orElseThrow();
    }

    /** @return the id of the text object */
    public ObjectId textId() {
        return text;
    }

    /** @return the native document, owned by this object */
    public Document document() {
        return document;
    }

    @Override
    public void close() {
        document.free();
    }
}
