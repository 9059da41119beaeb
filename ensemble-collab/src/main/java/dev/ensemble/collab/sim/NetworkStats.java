package dev.ensemble.collab.sim;

/**
 * Counters of a {@link NetworkSimulator} since it was created. Immutable snapshot.
 *
 * @param sent messages accepted by {@code send}
 * @param rejected sends that returned {@code false}
 * @param delivered deliveries to a listener, duplicates included
 * @param lost messages lost by a link's loss rate
 * @param duplicated messages scheduled a second time by a link's duplication rate
 * @param droppedByPartition messages dropped by a partition, at send or delivery time
 * @param droppedByLinkDown messages in flight dropped because their link went down
 */
public record NetworkStats(
        long sent,
        long rejected,
        long delivered,
        long lost,
        long duplicated,
        long droppedByPartition,
        long droppedByLinkDown) {}
