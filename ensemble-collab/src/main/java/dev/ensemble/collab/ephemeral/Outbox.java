package dev.ensemble.collab.ephemeral;

import dev.ensemble.collab.wire.Envelope;

/**
 * The sending side of a channel: its epoch and the next sequence number. One sequence covers
 * every message of the channel, to any peer and on any topic, so a receiver can order all of a
 * sender's messages together (a pedal change and the notes after it).
 *
 * <p>Owned by one actor and used only in its turns; not thread-safe.
 */
final class Outbox {
    private final String channel;
    private final long epoch;
    private long nextSequence = 1;

    Outbox(String channel, long epoch) {
        this.channel = channel;
        this.epoch = epoch;
    }

    Envelope next(String topic, byte[] message) {
        return Envelope.ephemeral(channel, new Frame(epoch, nextSequence++, topic, message).encode());
    }
}
