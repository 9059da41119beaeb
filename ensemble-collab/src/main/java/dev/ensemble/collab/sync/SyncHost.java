package dev.ensemble.collab.sync;

import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.core.Cancellable;
import dev.ensemble.transport.PeerId;
import java.time.Duration;

/**
 * INTERNAL API. What a {@link SyncEngine} needs from its owner besides the document: a way to
 * send, one-shot timers, and someone to tell when peers changed the document. A collaboration
 * actor implements it with its messaging actor, its timers and its events; tests implement it
 * with an in-memory wire and a manual clock.
 *
 * <h2>Threading</h2>
 *
 * The engine calls these methods on its owner's thread (inside the actor's turn), and expects
 * scheduled tasks to run there too. Implementations must not call back into the engine from
 * inside these methods: a send is queued, not delivered on the spot.
 */
public interface SyncHost {
    /**
     * Sends an envelope to a peer (queued; never delivered during this call).
     *
     * @param peer the peer
     * @param envelope what to send
     */
    void send(PeerId peer, Envelope envelope);

    /**
     * Runs a task once after a delay, on the owner's thread.
     *
     * @param delay how long to wait
     * @param task what to run
     * @return a handle that cancels it
     */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * Input from a peer changed the document: the owner refreshes its view and storage, and
     * calls {@link SyncEngine#flush()} once for the batch.
     */
    void changed();

    /**
     * Changes from a peer were merged (after {@link #changed()}).
     *
     * @param peer the peer they came from
     */
    void merged(PeerId peer);

    /**
     * Input from a peer was dropped; the document is unchanged by it (or, if Automerge failed
     * half-way, {@link #changed()} was called for the part it applied).
     *
     * @param peer the peer
     * @param problem what was wrong with it
     */
    void rejected(PeerId peer, String problem);
}
