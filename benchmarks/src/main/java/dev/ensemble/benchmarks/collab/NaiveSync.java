package dev.ensemble.benchmarks.collab;

import java.util.Optional;
import org.automerge.Document;
import org.automerge.SyncState;

/**
 * The naive sync loop the benchmarks compare against: two automerge-java documents, one
 * {@link SyncState} on each side, exchanging {@code generateSyncMessage} and {@code
 * receiveSyncMessage} until neither has anything to say; no framing, no transport. Not
 * thread-safe; the sync states are created and freed by each call.
 *
 * <pre>{@code
 * NaiveSync.Exchange exchange = NaiveSync.run(full, empty);
 * System.out.println(exchange.bytes() + " bytes in " + exchange.messages() + " messages");
 * }</pre>
 */
public final class NaiveSync {
    /** A bound on rounds: a well-behaved exchange ends in a handful. */
    private static final int MAX_ROUNDS = 1000;

    private NaiveSync() {}

    /**
     * What an exchange cost.
     *
     * @param messages sync messages sent, both directions
     * @param bytes their total length
     */
    public record Exchange(long messages, long bytes) {
        /**
         * @param other another exchange
         * @return both together
         */
        public Exchange plus(Exchange other) {
            return new Exchange(messages + other.messages, bytes + other.bytes);
        }
    }

    /**
     * Syncs two documents until both are quiet, with fresh sync states.
     *
     * @param a one document
     * @param b the other
     * @return what was exchanged
     */
    public static Exchange run(Document a, Document b) {
        SyncState stateOfB = new SyncState();
        SyncState stateOfA = new SyncState();
        try {
            return run(a, stateOfB, b, stateOfA);
        } finally {
            stateOfB.free();
            stateOfA.free();
        }
    }

    /**
     * Syncs two documents until both are quiet, with sync states the caller keeps across
     * exchanges (as two peers in steady state do).
     *
     * @param a one document
     * @param aStateOfB what {@code a} knows of {@code b}
     * @param b the other document
     * @param bStateOfA what {@code b} knows of {@code a}
     * @return what was exchanged
     */
    public static Exchange run(Document a, SyncState aStateOfB, Document b, SyncState bStateOfA) {
        long messages = 0;
        long bytes = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean quiet = true;
            Optional<byte[]> toB = a.generateSyncMessage(aStateOfB);
            if (toB.isPresent()) {
                quiet = false;
                messages++;
                bytes += toB.get().length;
                b.receiveSyncMessage(bStateOfA, toB.get());
            }
            Optional<byte[]> toA = b.generateSyncMessage(bStateOfA);
            if (toA.isPresent()) {
                quiet = false;
                messages++;
                bytes += toA.get().length;
                a.receiveSyncMessage(aStateOfB, toA.get());
            }
            if (quiet) {
                return new Exchange(messages, bytes);
            }
        }
        throw new IllegalStateException("the naive sync loop was not quiet after " + MAX_ROUNDS + " rounds");
    }
}
