package dev.ensemble.collab.ephemeral;

/**
 * Names of the events an {@link EphemeralChannel} emits. Listeners run on the client's callback
 * executor, in emission order.
 *
 * <pre>{@code
 * channel.onEvent(NOTES.eventName(), e -> play(NOTES.message(e).message()));
 * channel.onEvent(EphemeralEvents.ERROR, e -> log.warn("{}", ((EphemeralError) e.payload()).reason()));
 * }</pre>
 */
public final class EphemeralEvents {
    /** A message from a peer was dropped; payload: an {@link EphemeralError} naming the peer. */
    public static final String ERROR = "ephemeral-error";

    private static final String MESSAGE_PREFIX = "message:";

    private EphemeralEvents() {}

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
