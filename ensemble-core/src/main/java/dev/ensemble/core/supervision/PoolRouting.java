package dev.ensemble.core.supervision;

/** How a pool picks the replica that gets the next message. */
public enum PoolRouting {
    /** Each replica in turn. */
    ROUND_ROBIN,
    /** The replica with the fewest messages waiting; ties go to the earliest replica. */
    SMALLEST_MAILBOX
}
