package dev.ensemble.core.bus;

import java.util.Objects;

/**
 * A named message on the bus, as a handler receives it.
 *
 * @param name what it is, as the receiving namespace calls it (a forward may have renamed it)
 * @param data its payload, immutable; may be null
 * @param sender the path of the actor that published it
 */
public record BusMessage(String name, Object data, String sender) {
    /**
     * @param name not null
     * @param data may be null
     * @param sender not null
     */
    public BusMessage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sender, "sender");
    }

    /**
     * @param newName the name in the namespace it is forwarded to
     * @return the same message under another name
     */
    public BusMessage renamed(String newName) {
        return new BusMessage(newName, data, sender);
    }
}
