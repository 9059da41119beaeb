package dev.ensemble.collab.ephemeral;

import dev.ensemble.transport.PeerId;

/**
 * An ephemeral or presence message that was dropped: the payload of {@link EphemeralEvents#ERROR}
 * and {@link PresenceEvents#ERROR}.
 *
 * @param peer the peer that sent it
 * @param channel the channel id (the envelope's document id) it arrived on
 * @param topic the topic it named, or null if it could not be read
 * @param reason what was wrong: the rule, the value seen
 */
public record EphemeralError(PeerId peer, String channel, String topic, String reason) {}
