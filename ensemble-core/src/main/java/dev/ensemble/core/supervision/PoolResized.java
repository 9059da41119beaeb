package dev.ensemble.core.supervision;

/**
 * The payload of a pool's {@value #EVENT} event: a resize, why, and what was measured.
 *
 * @param pool the pool's path
 * @param from replicas before
 * @param to replicas after
 * @param reason the rule that decided it, in words
 * @param queued messages waiting in the replicas' mailboxes at the decision
 * @param queueGrowth how much that grew over the window (negative: it shrank)
 * @param busyFraction the share of the window the replicas spent in turns, 0 to 1
 */
public record PoolResized(
        String pool, int from, int to, String reason, int queued, int queueGrowth, double busyFraction) {
    /** The name of the event a pool emits when it resizes. */
    public static final String EVENT = "pool-resized";
}
