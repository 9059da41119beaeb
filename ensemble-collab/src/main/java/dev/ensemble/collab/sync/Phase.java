package dev.ensemble.collab.sync;

import dev.ensemble.core.Cancellable;

/**
 * Where a {@link PeerSession} stands in sending this side's changes to its peer, with the data
 * that only matters in that phase. The transitions are in {@link PeerSession}; the diagram is in
 * {@link SyncEngine}.
 *
 * <p>Immutable values, except the {@link PushLog} that {@link Pushing} carries: it is owned by
 * the session and handed from one push to the next.
 */
sealed interface Phase {
    /** The phase a session is in while nothing better is known: the one instance of {@link Syncing}. */
    Phase SYNCING = new Syncing();

    /**
     * This side holds only the initial change and asked the peer for its whole document (an empty
     * {@code snapshot} envelope). Sync messages are ignored meanwhile, as long as this side still
     * holds nothing else: a first sync message would carry a Bloom filter of the peer's whole
     * history, which the snapshot makes useless.
     *
     * @param timeout when it fires, sync starts change by change
     */
    record AwaitingSnapshot(Cancellable timeout) implements Phase {}

    /**
     * This side holds history and the peer is new: wait briefly for it to speak first (it may
     * ask for a snapshot), then start a sync round.
     *
     * @param timer when it fires, this side starts
     */
    record Grace(Cancellable timer) implements Phase {}

    /**
     * What the peer holds is not known: Automerge's sync rounds run until they leave both sides
     * in sync, and every batch of changes goes out as a sync message.
     */
    record Syncing() implements Phase {}

    /**
     * The peer is believed to hold {@code peerHas} (exactly what this side held when it learnt
     * so), so the next batch of changes goes to it as one {@code changes} envelope.
     *
     * @param peerHas the heads the peer holds
     */
    record InSync(Heads peerHas) implements Phase {}

    /**
     * Changes were pushed and are not confirmed yet; the peer confirms once per resync tick. A
     * second tick without confirmation ends the pushing: sync rounds take over ({@link Syncing}).
     *
     * @param peerHas the heads the peer holds if every push arrived
     * @param pushes the pushes not yet confirmed
     * @param ticks resync ticks since the first unconfirmed push (0 or 1: the second tick repairs)
     */
    record Pushing(Heads peerHas, PushLog pushes, int ticks) implements Phase {}
}
