package dev.ensemble.collab.sync;

import java.util.ArrayDeque;

/**
 * The heads this side pushed a peer to, oldest first, until the peer confirms them with an
 * {@code ack}. Bounded: past {@link #CAPACITY} the oldest are forgotten (an ack for one of them
 * is then ignored, and the repair round settles what the peer holds).
 *
 * <p>Mutable and owned by one {@link PeerSession} (it travels from one push phase to the next
 * without copying, since every keystroke adds to it); touched only on the owner's thread.
 */
final class PushLog {
    /** Pushes remembered until confirmed: at 150 ms a keystroke, a minute of typing. */
    static final int CAPACITY = 400;

    private final ArrayDeque<Heads> pushes = new ArrayDeque<>();

    /** Remembers a push that left the peer at {@code heads}. */
    void add(Heads heads) {
        if (pushes.size() == CAPACITY) {
            pushes.pollFirst();
        }
        pushes.addLast(heads);
    }

    /**
     * Confirms the push that led to {@code heads} and every earlier one.
     *
     * @return false, changing nothing, if no remembered push led to {@code heads}
     */
    boolean confirm(Heads heads) {
        if (!pushes.contains(heads)) {
            return false;
        }
        Heads oldest;
        do {
            oldest = pushes.pollFirst();
        } while (!oldest.equals(heads));
        return true;
    }

    boolean isEmpty() {
        return pushes.isEmpty();
    }

    int size() {
        return pushes.size();
    }

    @Override
    public String toString() {
        return pushes.size() + " unconfirmed";
    }
}
