package dev.ensemble.collab.ephemeral;

import java.util.Objects;
import java.util.Set;

/**
 * The state of an {@link EphemeralChannel}: its topics and its counters. Immutable.
 *
 * @param channel the channel id (the envelopes' document id; empty for the whole room)
 * @param topics the registered topic names
 * @param sent messages sent (a broadcast counts once)
 * @param delivered messages received and emitted
 * @param stale messages dropped because one sent later by the same peer was already delivered,
 *     or because they were duplicates
 * @param rejected messages dropped as malformed, oversized or on an unknown topic
 */
public record ChannelStatus(String channel, Set<String> topics, long sent, long delivered, long stale, long rejected) {
    /**
     * @param channel the channel id
     * @param topics the topic names
     * @param sent messages sent
     * @param delivered messages delivered
     * @param stale stale messages dropped
     * @param rejected bad messages dropped
     */
    public ChannelStatus {
        Objects.requireNonNull(channel, "channel");
        topics = Set.copyOf(topics);
    }

    ChannelStatus withSent() {
        return new ChannelStatus(channel, topics, sent + 1, delivered, stale, rejected);
    }

    ChannelStatus withDelivered() {
        return new ChannelStatus(channel, topics, sent, delivered + 1, stale, rejected);
    }

    ChannelStatus withStale() {
        return new ChannelStatus(channel, topics, sent, delivered, stale + 1, rejected);
    }

    ChannelStatus withRejected() {
        return new ChannelStatus(channel, topics, sent, delivered, stale, rejected + 1);
    }
}
