package dev.ensemble.core.supervision;

/** How a pool picks the replica that gets the next message. */
public enum PoolRouting {
    /** Each replica in turn. */
    ROUND_ROBIN,
    /** The replica with the fewest messages waiting; ties go to the earliest replica. */
    SMALLEST_MAILBOX,
    /**
     * The replica that owns the hash of the call's first argument (for a bus message, its data)
     * on a consistent-hash ring: calls with equal keys go to the same replica, so their order
     * holds, and a resize moves only about {@code 1 / size} of the keys. A call without arguments
     * hashes as a null key.
     */
    CONSISTENT_HASH
}
