package dev.ensemble.collab.repo.server;

import dev.ensemble.collab.repo.RepoCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RepoSyncServer} runs: where it stores documents, who may use it, and its limits.
 * Immutable; build one with {@link #builder()}, derive one with {@link #toBuilder()}. Every default
 * is a named constant.
 *
 * <pre>{@code
 * RepoServerSettings settings = RepoServerSettings.builder()
 *         .dataDirectory(Path.of("/var/lib/ensemble/automerge-repo"))
 *         .accessPolicy(new RepoAccessTokens(secret, Clock.systemUTC()).policy())
 *         .build();
 * }</pre>
 */
public final class RepoServerSettings {
    /** The server's peer id when none is given. */
    public static final String DEFAULT_PEER_ID = "ensemble-sync-server";
    /**
     * Largest message, in bytes: a whole document may travel in one sync message and nothing
     * chunks it (the automerge-paper trace's first sync is 28.5 MB).
     */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = RepoCodec.DEFAULT_MAX_FRAME_BYTES;
    /**
     * Bytes waiting to be sent to one client, beyond which it counts as not reading and is closed:
     * four of the largest messages, so that a client that reads slowly through a few whole
     * documents is not cut off, while one that never reads cannot make the server hold the
     * documents it asks for in memory without end.
     */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 4L * DEFAULT_MAX_MESSAGE_BYTES;
    /** Documents one connection may have open at once; one more closes the connection. */
    public static final int DEFAULT_MAX_DOCUMENTS_PER_CONNECTION = 10_000;
    /** Messages per second one connection may send, on average. */
    public static final int DEFAULT_MESSAGES_PER_SECOND = 5_000;
    /** Messages one connection may send in a burst (a client opening thousands of documents at once). */
    public static final int DEFAULT_MESSAGE_BURST = 50_000;
    /** Changes appended to a document's log before it is compacted into a snapshot. */
    public static final int DEFAULT_COMPACT_EVERY = 1_000;
    /** Time from connect to {@code join}; a connection silent for longer is closed. */
    public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Change logs the file storage keeps open across all documents in memory. The storage holds a
     * document's log open from its first write until it is released, and one connection may open
     * {@link #DEFAULT_MAX_DOCUMENTS_PER_CONNECTION} documents: without a bound, a few clients that
     * write to many documents use up the process's file descriptors (and then the listening socket
     * cannot accept anyone). Beyond it the least recently written document's log is closed; its
     * next write opens it again and reads its log once (at most {@link #DEFAULT_COMPACT_EVERY}
     * changes since the last snapshot).
     */
    public static final int DEFAULT_MAX_OPEN_CHANGE_LOGS = 256;
    /**
     * Largest {@code data} of an {@code ephemeral} message (presence, cursors), in bytes. The server
     * forwards each one to every other client of the document: at the message limit, one sender
     * could fill every other client's send queue ({@link #DEFAULT_MAX_QUEUED_BYTES}) with a few
     * messages and get them closed as clients that do not read. A sender beyond it is closed (1009).
     */
    public static final int DEFAULT_MAX_EPHEMERAL_BYTES = 64 * 1024;

    private final Path dataDirectory;
    private final String peerId;
    private final RepoAccessPolicy accessPolicy;
    private final int maxMessageBytes;
    private final int maxDocumentsPerConnection;
    private final long maxQueuedBytes;
    private final int messagesPerSecond;
    private final int messageBurst;
    private final int compactEvery;
    private final Duration joinTimeout;
    private final int maxOpenChangeLogs;
    private final int maxEphemeralBytes;

    private RepoServerSettings(Builder builder) {
        this.dataDirectory = builder.dataDirectory;
        this.peerId = builder.peerId;
        this.accessPolicy = builder.accessPolicy;
        this.maxMessageBytes = builder.maxMessageBytes;
        this.maxDocumentsPerConnection = builder.maxDocumentsPerConnection;
        this.maxQueuedBytes = builder.maxQueuedBytes;
        this.messagesPerSecond = builder.messagesPerSecond;
        this.messageBurst = builder.messageBurst;
        this.compactEvery = builder.compactEvery;
        this.joinTimeout = builder.joinTimeout;
        this.maxOpenChangeLogs = builder.maxOpenChangeLogs;
        this.maxEphemeralBytes = builder.maxEphemeralBytes;
    }

    /** @return a builder holding every default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return where documents are stored durably, or null to keep them in memory only */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** @return the server's peer id, sent in {@code peer} */
    public String peerId() {
        return peerId;
    }

    /** @return who may join and open what */
    public RepoAccessPolicy accessPolicy() {
        return accessPolicy;
    }

    /** @return the largest message accepted, in bytes */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** @return documents one connection may have open */
    public int maxDocumentsPerConnection() {
        return maxDocumentsPerConnection;
    }

    /**
     * @return bytes that may wait to be sent to one client; the socket's owner enforces it (its
     *     {@link RepoPeerLink#send} returns false beyond it)
     */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** @return the average message rate allowed per connection */
    public int messagesPerSecond() {
        return messagesPerSecond;
    }

    /** @return the burst of messages allowed per connection */
    public int messageBurst() {
        return messageBurst;
    }

    /** @return changes appended before a document is compacted */
    public int compactEvery() {
        return compactEvery;
    }

    /** @return how long a connection may take to send {@code join} */
    public Duration joinTimeout() {
        return joinTimeout;
    }

    /** @return change logs kept open at once; the least recently written one is closed beyond it */
    public int maxOpenChangeLogs() {
        return maxOpenChangeLogs;
    }

    /** @return the largest {@code data} of an {@code ephemeral} message, in bytes */
    public int maxEphemeralBytes() {
        return maxEphemeralBytes;
    }

    @Override
    public String toString() {
        return "RepoServerSettings[data " + (dataDirectory == null ? "in memory" : dataDirectory) + ", peer "
                + peerId + ", max message " + maxMessageBytes + " bytes, " + maxDocumentsPerConnection
                + " documents per connection, " + messagesPerSecond + "/s (burst " + messageBurst
                + "), compact every " + compactEvery + ", " + maxOpenChangeLogs
                + " open change logs, ephemeral data up to "
                + maxEphemeralBytes + " bytes]";
    }

    /** Builds {@link RepoServerSettings}. Not thread-safe. */
    public static final class Builder {
        private Path dataDirectory;
        private String peerId = DEFAULT_PEER_ID;
        private RepoAccessPolicy accessPolicy = RepoAccessPolicy.OPEN;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int maxDocumentsPerConnection = DEFAULT_MAX_DOCUMENTS_PER_CONNECTION;
        private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private int messagesPerSecond = DEFAULT_MESSAGES_PER_SECOND;
        private int messageBurst = DEFAULT_MESSAGE_BURST;
        private int compactEvery = DEFAULT_COMPACT_EVERY;
        private Duration joinTimeout = DEFAULT_JOIN_TIMEOUT;
        private int maxOpenChangeLogs = DEFAULT_MAX_OPEN_CHANGE_LOGS;
        private int maxEphemeralBytes = DEFAULT_MAX_EPHEMERAL_BYTES;

        private Builder() {}

        private Builder(RepoServerSettings settings) {
            dataDirectory = settings.dataDirectory;
            peerId = settings.peerId;
            accessPolicy = settings.accessPolicy;
            maxMessageBytes = settings.maxMessageBytes;
            maxDocumentsPerConnection = settings.maxDocumentsPerConnection;
            maxQueuedBytes = settings.maxQueuedBytes;
            messagesPerSecond = settings.messagesPerSecond;
            messageBurst = settings.messageBurst;
            compactEvery = settings.compactEvery;
            joinTimeout = settings.joinTimeout;
            maxOpenChangeLogs = settings.maxOpenChangeLogs;
            maxEphemeralBytes = settings.maxEphemeralBytes;
        }

        /**
         * @param directory where documents are stored (created if missing; one server per
         *     directory), or null for memory only
         * @return this builder
         */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /**
         * @param peerId the server's peer id (non-empty)
         * @return this builder
         */
        public Builder peerId(String peerId) {
            Objects.requireNonNull(peerId, "peerId");
            if (peerId.isEmpty()) {
                throw new IllegalArgumentException("peerId must not be empty");
            }
            this.peerId = peerId;
            return this;
        }

        /**
         * @param policy who may join and open what
         * @return this builder
         */
        public Builder accessPolicy(RepoAccessPolicy policy) {
            this.accessPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param bytes the largest message accepted (at least 1024)
         * @return this builder
         */
        public Builder maxMessageBytes(int bytes) {
            this.maxMessageBytes = atLeast("maxMessageBytes", bytes, 1024);
            return this;
        }

        /**
         * @param documents documents one connection may have open (at least 1)
         * @return this builder
         */
        public Builder maxDocumentsPerConnection(int documents) {
            this.maxDocumentsPerConnection = atLeast("maxDocumentsPerConnection", documents, 1);
            return this;
        }

        /**
         * @param bytes bytes that may wait to be sent to one client (at least 65536)
         * @return this builder
         */
        public Builder maxQueuedBytes(long bytes) {
            if (bytes < 65_536) {
                throw new IllegalArgumentException("maxQueuedBytes must be at least 65536, but was " + bytes);
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        /**
         * @param perSecond average messages per second per connection (at least 1)
         * @param burst messages in a burst (at least 1)
         * @return this builder
         */
        public Builder messageRate(int perSecond, int burst) {
            this.messagesPerSecond = atLeast("messagesPerSecond", perSecond, 1);
            this.messageBurst = atLeast("messageBurst", burst, 1);
            return this;
        }

        /**
         * @param changes changes appended before a document is compacted (at least 1)
         * @return this builder
         */
        public Builder compactEvery(int changes) {
            this.compactEvery = atLeast("compactEvery", changes, 1);
            return this;
        }

        /**
         * @param timeout how long a connection may take to send {@code join} (positive)
         * @return this builder
         */
        public Builder joinTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("joinTimeout must be positive, but was " + timeout);
            }
            this.joinTimeout = timeout;
            return this;
        }

        /**
         * @param logs change logs the storage keeps open at once, over all documents (at least 1)
         * @return this builder
         */
        public Builder maxOpenChangeLogs(int logs) {
            this.maxOpenChangeLogs = atLeast("maxOpenChangeLogs", logs, 1);
            return this;
        }

        /**
         * @param bytes the largest {@code data} of an {@code ephemeral} message (at least 1)
         * @return this builder
         */
        public Builder maxEphemeralBytes(int bytes) {
            this.maxEphemeralBytes = atLeast("maxEphemeralBytes", bytes, 1);
            return this;
        }

        /** @return the settings */
        public RepoServerSettings build() {
            return new RepoServerSettings(this);
        }

        private static int atLeast(String name, int value, int minimum) {
            if (value < minimum) {
                throw new IllegalArgumentException(name + " must be at least " + minimum + ", but was " + value);
            }
            return value;
        }
    }
}
