package dev.ensemble.core.inspect;

/**
 * What an attached party may do. Granted by the inspected process when a session opens, never
 * asked for by the party: a shell cannot raise its own access.
 */
public enum InspectionAccess {
    /** List, read states, trace, watch; never change anything. The default. */
    READ,
    /** As {@link #READ}, and send messages to actors and switch the history on or off. */
    WRITE
}
