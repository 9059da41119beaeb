package dev.ensemble.collab.ephemeral;

import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.wire.Envelope;
import dev.ensemble.core.ActorToken;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * How a {@link PresenceActor} publishes and expires presence. Immutable; made with
 * {@link #builder(ActorToken, PayloadCodec)}. The defaults follow Yjs awareness: renew every
 * 15 s, expire after 30 s of silence, so one lost renewal does not make a peer vanish.
 *
 * <pre>{@code
 * PresenceSettings.builder(PEERS, PayloadCodec.json(Player.class))
 *     .renewInterval(Duration.ofSeconds(15))
 *     .expireAfter(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 *
 * @param peers the token of the room's {@link PeerMessaging} actor, a declared dependency
 * @param codec encodes the presence state
 * @param channel the channel id carried as the envelopes' document id
 * @param renewInterval how often this peer re-announces its state while it has one
 * @param expireAfter how long a peer may stay silent before its presence is removed; longer than
 *     {@code renewInterval}
 * @param checkInterval how often renewal and expiry are checked; the expiry of a silent peer is
 *     noticed up to this late
 * @param maxStateBytes the largest encoded state accepted, sent or received
 * @param clock the clock for last-seen times, renewal and expiry; tests pass a virtual clock
 * @param <P> the presence state type
 */
public record PresenceSettings<P>(
        ActorToken<PeerMessaging, Roster> peers,
        PayloadCodec<P> codec,
        String channel,
        Duration renewInterval,
        Duration expireAfter,
        Duration checkInterval,
        int maxStateBytes,
        InstantSource clock) {
    /** Default {@link #channel}. */
    public static final String DEFAULT_CHANNEL = "ensemble.presence";
    /** Default {@link #renewInterval}. */
    public static final Duration DEFAULT_RENEW_INTERVAL = Duration.ofSeconds(15);
    /** Default {@link #expireAfter}. */
    public static final Duration DEFAULT_EXPIRE_AFTER = Duration.ofSeconds(30);
    /** Default {@link #checkInterval}. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);
    /** Default {@link #maxStateBytes}. */
    public static final int DEFAULT_MAX_STATE_BYTES = 4096;

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the setting and the value seen
     */
    public PresenceSettings {
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(clock, "clock");
        positive("renewInterval", renewInterval);
        positive("expireAfter", expireAfter);
        positive("checkInterval", checkInterval);
        if (expireAfter.compareTo(renewInterval) <= 0) {
            throw new IllegalArgumentException("expireAfter (" + expireAfter + ") must be longer than renewInterval ("
                    + renewInterval + "), or peers expire between renewals");
        }
        if (maxStateBytes < 1 || maxStateBytes > Topic.MAX_PAYLOAD_LIMIT) {
            throw new IllegalArgumentException(
                    "maxStateBytes must be 1.." + Topic.MAX_PAYLOAD_LIMIT + ", was " + maxStateBytes);
        }
        int channelBytes = channel.getBytes(StandardCharsets.UTF_8).length;
        if (channelBytes > Envelope.MAX_DOCUMENT_ID_BYTES) {
            throw new IllegalArgumentException("a channel id must be at most " + Envelope.MAX_DOCUMENT_ID_BYTES
                    + " bytes of UTF-8, was " + channelBytes);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /**
     * @param peers the room's messaging actor
     * @param codec encodes the presence state, e.g. {@link PayloadCodec#json(Class)}
     * @param <P> the presence state type
     * @return a builder with the defaults
     */
    public static <P> Builder<P> builder(ActorToken<PeerMessaging, Roster> peers, PayloadCodec<P> codec) {
        return new Builder<>(peers, codec);
    }

    /**
     * Builds {@link PresenceSettings}. Not thread-safe.
     *
     * @param <P> the presence state type
     */
    public static final class Builder<P> {
        private final ActorToken<PeerMessaging, Roster> peers;
        private final PayloadCodec<P> codec;
        private String channel = DEFAULT_CHANNEL;
        private Duration renewInterval = DEFAULT_RENEW_INTERVAL;
        private Duration expireAfter = DEFAULT_EXPIRE_AFTER;
        private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
        private int maxStateBytes = DEFAULT_MAX_STATE_BYTES;
        private InstantSource clock = InstantSource.system();

        private Builder(ActorToken<PeerMessaging, Roster> peers, PayloadCodec<P> codec) {
            this.peers = Objects.requireNonNull(peers, "peers");
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        /**
         * @param id the channel id
         * @return this builder
         */
        public Builder<P> channel(String id) {
            this.channel = id;
            return this;
        }

        /**
         * @param interval how often to re-announce
         * @return this builder
         */
        public Builder<P> renewInterval(Duration interval) {
            this.renewInterval = interval;
            return this;
        }

        /**
         * @param silence how long a silent peer stays present
         * @return this builder
         */
        public Builder<P> expireAfter(Duration silence) {
            this.expireAfter = silence;
            return this;
        }

        /**
         * @param interval how often to check renewal and expiry
         * @return this builder
         */
        public Builder<P> checkInterval(Duration interval) {
            this.checkInterval = interval;
            return this;
        }

        /**
         * @param bytes the largest encoded state
         * @return this builder
         */
        public Builder<P> maxStateBytes(int bytes) {
            this.maxStateBytes = bytes;
            return this;
        }

        /**
         * @param source the clock
         * @return this builder
         */
        public Builder<P> clock(InstantSource source) {
            this.clock = source;
            return this;
        }

        /** @return the settings */
        public PresenceSettings<P> build() {
            return new PresenceSettings<>(
                    peers, codec, channel, renewInterval, expireAfter, checkInterval, maxStateBytes, clock);
        }
    }
}
