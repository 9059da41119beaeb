package dev.ensemble.core.supervision;

/**
 * Which children a supervisor of a tree restarts when one of them fails (OTP's strategies).
 * Restarted children stop in reverse order and start again in their order, each one's start hook
 * completing before the next one starts.
 */
public enum RestartStrategy {
    /** Only the failed child restarts. */
    ONE_FOR_ONE,
    /** Every child restarts: for children that cannot work without each other. */
    ONE_FOR_ALL,
    /** The failed child and the children started after it restart: for a chain of dependents. */
    REST_FOR_ONE
}
