package dev.ensemble.collab.ephemeral;

import dev.ensemble.transport.PeerId;

/**
 * A message received on a topic: the payload of the {@link Topic#eventName()} events of an
 * {@link EphemeralChannel}. Immutable as far as the message type is.
 *
 * @param from the sending peer
 * @param topic the topic's name
 * @param sequence the sender's sequence number; rises with every message the sender's channel
 *     sends (to anyone, on any topic), so gaps are normal
 * @param message the decoded message
 * @param <T> the message type
 */
public record EphemeralMessage<T>(PeerId from, String topic, long sequence, T message) {}
