package dev.ensemble.collab.repo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.collab.ephemeral.ChannelStatus;
import dev.ensemble.collab.ephemeral.Ephemeral;
import dev.ensemble.collab.ephemeral.Topic;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.core.ActorToken;
import java.util.Objects;

/**
 * What a {@link RepoEphemeralBridge} joins: the automerge-repo document, the room's channel and
 * topic, the room's messaging actor (for its roster) and the connection to the server. Immutable.
 * Declare {@code channel}, {@code peers} and {@code connection} as the bridge's dependencies too.
 *
 * @param documentId the automerge-repo document whose {@code ephemeral} messages are bridged
 * @param channel the room's ephemeral channel; the topic must be registered on it
 * @param topic the channel's topic the bridged messages travel on in the room (JSON values)
 * @param peers the room's messaging actor: its roster tells room peers from other clients
 * @param connection the connection to the server; its peer id must be this peer's did:key (see
 *     {@link RepoEphemeralBridge})
 */
public record RepoEphemeralSettings(
        DocumentId documentId,
        ActorToken<Ephemeral, ChannelStatus> channel,
        Topic<JsonNode> topic,
        ActorToken<PeerMessaging, Roster> peers,
        ActorToken<RepoConnection, RepoConnectionState> connection) {
    /** The room topic's default name. */
    public static final String DEFAULT_TOPIC = "automerge-repo-ephemeral";

    /** Checks the fields. */
    public RepoEphemeralSettings {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(connection, "connection");
    }

    /**
     * A topic for bridged messages: JSON values, at most 16 KiB encoded (the server forwards up to
     * 64 KiB). Register it on the room's channel on every peer.
     *
     * @return the topic named {@value #DEFAULT_TOPIC}
     */
    public static Topic<JsonNode> defaultTopic() {
        return Topic.json(DEFAULT_TOPIC, JsonNode.class);
    }

    /**
     * Settings with the {@linkplain #defaultTopic() default topic}.
     *
     * @param documentId the document
     * @param channel the room's channel
     * @param peers the room's messaging actor
     * @param connection the connection to the server
     * @return the settings
     */
    public static RepoEphemeralSettings of(
            DocumentId documentId,
            ActorToken<Ephemeral, ChannelStatus> channel,
            ActorToken<PeerMessaging, Roster> peers,
            ActorToken<RepoConnection, RepoConnectionState> connection) {
        return new RepoEphemeralSettings(documentId, channel, defaultTopic(), peers, connection);
    }
}
