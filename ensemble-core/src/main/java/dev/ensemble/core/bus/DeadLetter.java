package dev.ensemble.core.bus;

import java.util.Objects;

/**
 * A bus message that nobody handles: no child of its namespace declares its name and the
 * namespace's routing table has no entry for it. Reported to the system's dead-letter listeners
 * ({@link dev.ensemble.core.ActorSystem#onDeadLetter}) and logged.
 *
 * @param message the message, under the name it had in {@code namespace}
 * @param namespace the path of the namespace where it found no handler
 */
public record DeadLetter(BusMessage message, String namespace) {
    /**
     * @param message not null
     * @param namespace not null
     */
    public DeadLetter {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(namespace, "namespace");
    }
}
