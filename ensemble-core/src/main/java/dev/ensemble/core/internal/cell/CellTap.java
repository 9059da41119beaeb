package dev.ensemble.core.internal.cell;

/**
 * INTERNAL API: what an inspector hooks into the cells of a system while a trace or the history
 * records: it decides which messages are stamped at enqueue, and receives each stamped message
 * once it ran or was dropped. Null in every cell when nothing records, so that a cell pays one
 * read of its {@code tap} field per enqueue and per batch of turns, and nothing else.
 *
 * <p>Threading: {@link #records} runs on the sender's thread inside {@code enqueue};
 * {@link #recorded} on the receiver's thread right after the turn (or on the dropping thread). Both
 * must be fast, take no lock an actor may hold, and never throw (a throw is logged and ignored).
 */
public interface CellTap {
    /**
     * @param receiver the cell a message is entering
     * @return whether to stamp it (time and sender) and hand it to {@link #recorded} later
     */
    boolean records(ActorCell<?> receiver);

    /**
     * @param receiver the cell it entered
     * @param message what happened to it
     */
    void recorded(ActorCell<?> receiver, TappedMessage.Record message);
}
