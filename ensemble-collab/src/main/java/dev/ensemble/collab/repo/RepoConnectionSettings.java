package dev.ensemble.collab.repo;

import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.BinarySocket;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RepoConnectionActor} reaches its server. Immutable; made with {@link #builder}.
 *
 * @param server the sync server's WebSocket URL
 * @param sockets opens the connection (e.g. {@code WebSocketBinarySockets} of
 *     ensemble-transport-ws)
 * @param peerId this side's peer id, the same on every reconnect (default: {@code "java-"} and
 *     random base-36 characters)
 * @param metadata what this side says about itself in {@code join} (default: no storage,
 *     ephemeral; announce a storage id only if the documents and the id are kept durably)
 * @param codec the codec and its frame limit
 * @param reconnect the delays between reconnects (automerge-repo's client waits 5 s)
 */
public record RepoConnectionSettings(
        URI server,
        BinarySocket.Connector sockets,
        String peerId,
        PeerMetadata metadata,
        RepoCodec codec,
        Backoff reconnect) {
    /** Default {@link #reconnect}: 100 ms doubling to 5 s, 20 % jitter. */
    public static final Backoff DEFAULT_RECONNECT = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Checks the fields. */
    public RepoConnectionSettings {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(sockets, "sockets");
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(reconnect, "reconnect");
        if (peerId.isEmpty() || peerId.length() > RepoCodec.MAX_TEXT_CHARS) {
            throw new IllegalArgumentException(
                    "peerId must have 1 to " + RepoCodec.MAX_TEXT_CHARS + " characters, but has " + peerId.length());
        }
        String scheme = server.getScheme();
        if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
            throw new IllegalArgumentException("server must be a ws:// or wss:// URL, but was " + server);
        }
    }

    /**
     * @param server the sync server's WebSocket URL
     * @param sockets opens connections
     * @return a builder
     */
    public static Builder builder(URI server, BinarySocket.Connector sockets) {
        return new Builder(server, sockets);
    }

    /** Builds {@link RepoConnectionSettings}. Not thread-safe. */
    public static final class Builder {
        private final URI server;
        private final BinarySocket.Connector sockets;
        private String peerId = "java-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        private PeerMetadata metadata = PeerMetadata.EPHEMERAL;
        private RepoCodec codec = RepoCodec.standard();
        private Backoff reconnect = DEFAULT_RECONNECT;

        private Builder(URI server, BinarySocket.Connector sockets) {
            this.server = server;
            this.sockets = sockets;
        }

        /**
         * @param peerId this side's peer id (a did:key works; the JavaScript side never parses it)
         * @return this builder
         */
        public Builder peerId(String peerId) {
            this.peerId = peerId;
            return this;
        }

        /**
         * @param metadata what this side says about itself
         * @return this builder
         */
        public Builder metadata(PeerMetadata metadata) {
            this.metadata = metadata;
            return this;
        }

        /**
         * @param codec the codec, with its frame limit
         * @return this builder
         */
        public Builder codec(RepoCodec codec) {
            this.codec = codec;
            return this;
        }

        /**
         * @param reconnect delays between reconnects
         * @return this builder
         */
        public Builder reconnect(Backoff reconnect) {
            this.reconnect = reconnect;
            return this;
        }

        /** @return the settings */
        public RepoConnectionSettings build() {
            return new RepoConnectionSettings(server, sockets, peerId, metadata, codec, reconnect);
        }
    }
}
