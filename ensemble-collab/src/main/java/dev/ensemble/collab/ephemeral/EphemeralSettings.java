package dev.ensemble.collab.ephemeral;

import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.core.ActorToken;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link EphemeralChannel} needs: the room's messaging actor, its channel id and its
 * topics. Immutable; made with {@link #builder(ActorToken)}.
 *
 * <pre>{@code
 * EphemeralSettings.builder(PEERS)
 *     .topic(NOTES)
 *     .topic(PEDAL)
 *     .build();
 * }</pre>
 *
 * @param peers the token of the room's {@link PeerMessaging} actor, a declared dependency
 * @param channel the channel id carried as the envelopes' document id; empty (the default) for
 *     the whole room. Channels with different ids share the room without seeing each other.
 * @param topics the topics, in registration order, distinct by name
 * @param clock the source of the sender epoch (its start time in milliseconds) and of ping round-trip
 *     times; the system clock by default
 * @param pingTimeout how long {@link Ephemeral#ping} waits for the pong
 */
public record EphemeralSettings(
        ActorToken<PeerMessaging, Roster> peers,
        String channel,
        List<Topic<?>> topics,
        InstantSource clock,
        Duration pingTimeout) {
    /** Default {@link #pingTimeout}. */
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException if the channel id is longer than an envelope's document id
     *     may be, or two topics share a name
     */
    public EphemeralSettings {
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(pingTimeout, "pingTimeout");
        topics = List.copyOf(topics);
        if (pingTimeout.isNegative() || pingTimeout.isZero()) {
            throw new IllegalArgumentException("pingTimeout must be positive, was " + pingTimeout);
        }
        int channelBytes = channel.getBytes(StandardCharsets.UTF_8).length;
        if (channelBytes > Envelope.MAX_DOCUMENT_ID_BYTES) {
            throw new IllegalArgumentException("a channel id must be at most " + Envelope.MAX_DOCUMENT_ID_BYTES
                    + " bytes of UTF-8, was " + channelBytes);
        }
        if (topics.stream().map(Topic::name).distinct().count() != topics.size()) {
            throw new IllegalArgumentException("topic names on a channel must be distinct, but were "
                    + topics.stream().map(Topic::name).toList());
        }
    }

    /**
     * @param peers the room's messaging actor
     * @return a builder for the room-wide channel with no topics yet
     */
    public static Builder builder(ActorToken<PeerMessaging, Roster> peers) {
        return new Builder(peers);
    }

    Map<String, Topic<?>> topicsByName() {
        Map<String, Topic<?>> byName = new LinkedHashMap<>();
        for (Topic<?> topic : topics) {
            byName.put(topic.name(), topic);
        }
        return byName;
    }

    /** Builds {@link EphemeralSettings}. Not thread-safe. */
    public static final class Builder {
        private final ActorToken<PeerMessaging, Roster> peers;
        private final List<Topic<?>> topics = new ArrayList<>();
        private String channel = "";
        private InstantSource clock = InstantSource.system();
        private Duration pingTimeout = DEFAULT_PING_TIMEOUT;

        private Builder(ActorToken<PeerMessaging, Roster> peers) {
            this.peers = Objects.requireNonNull(peers, "peers");
        }

        /**
         * @param topic a topic to send and receive
         * @return this builder
         */
        public Builder topic(Topic<?> topic) {
            topics.add(Objects.requireNonNull(topic, "topic"));
            return this;
        }

        /**
         * @param id the channel id; empty for the whole room
         * @return this builder
         */
        public Builder channel(String id) {
            this.channel = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * @param source the clock; tests pass a simulator's virtual clock
         * @return this builder
         */
        public Builder clock(InstantSource source) {
            this.clock = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * @param timeout how long a ping waits for its pong
         * @return this builder
         */
        public Builder pingTimeout(Duration timeout) {
            this.pingTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** @return the settings */
        public EphemeralSettings build() {
            return new EphemeralSettings(peers, channel, topics, clock, pingTimeout);
        }
    }
}
