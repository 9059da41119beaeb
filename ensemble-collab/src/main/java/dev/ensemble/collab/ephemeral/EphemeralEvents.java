package dev.ensemble.collab.ephemeral;

/**
 * Names of the events an {@link EphemeralChannel} emits.
 */
public final class EphemeralEvents {
    /** A message from a peer was dropped; payload: an {@link EphemeralError} naming the peer. */
    public static final String ERROR = "ephemeral-error";

    private static final String MESSAGE_PREFIX = "message:";

    private EphemeralEvents() {
    }

    /**
     * @param topic a topic's name
     * @return the name of the event carrying that topic's messages; payload: an
     *     {@link EphemeralMessage}
     * @see Topic#eventName()
     */
    public static String message(String topic) {
        return MESSAGE_PREFIX + topic;
    }
}
