package dev.ensemble.collab;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.collab.repo.RepoSharing;
import dev.ensemble.collab.storage.DocumentStorage;
import dev.ensemble.core.ActorToken;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * What a {@link CollaborationActor} collaborates on: its document id, the Java type readers see,
 * the initial state, and optionally the room's messaging actor and a storage. Immutable; made
 * with {@link #builder(String, Class, Object)}.
 *
 * <pre>{@code
 * CollaborationSettings.builder("room-settings", RoomSettings.class, RoomSettings.DEFAULT)
 *     .peers(PEERS)                   // sync with the room (declare PEERS as a dependency too)
 *     .storage(storage)               // reload on start, persist every change
 *     .build();
 * }</pre>
 *
 * @param documentId names the document on the wire and in storage: 1-128 of {@code [A-Za-z0-9._-]}
 * @param viewType the immutable type readers see (a record), decoded from the document by Jackson
 * @param initialState the state the document starts from on every peer; created identically on
 *     each, so that peers starting offline never duplicate it
 * @param peers the room's messaging actor, or null to stay local
 * @param storage where the document is persisted, or null for none
 * @param mapper converts between the view type and the document's tree
 * @param resyncInterval how often sync is retried with each peer, which recovers lost messages
 * @param snapshotTimeout how long an empty peer waits for a snapshot before plain sync
 * @param genesis further edits made in the initial change, after the initial state is written
 *     (create counters here): they must be the same on every peer
 * @param repo the automerge-repo sync server this document is shared through, or null; the
 *     document id is then the automerge-repo document id (its bs58check text), and a document
 *     that is {@linkplain RepoSharing#find() found} starts empty instead of from the initial state.
 *     With {@code peers} too, the document is one document of the room and of the server: what
 *     the room's peers write reaches the server's clients and the other way round (see
 *     docs/AUTOMERGE-REPO.md, "A Java room and automerge-repo clients")
 * @param <S> the view type
 */
public record CollaborationSettings<S>(
        String documentId,
        Class<S> viewType,
        S initialState,
        ActorToken<PeerMessaging, Roster> peers,
        DocumentStorage storage,
        ObjectMapper mapper,
        Duration resyncInterval,
        Duration snapshotTimeout,
        Consumer<DocumentTransaction> genesis,
        RepoSharing repo) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /** Default {@link #resyncInterval}. */
    public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofSeconds(2);
    /** Default {@link #snapshotTimeout}. */
    public static final Duration DEFAULT_SNAPSHOT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Validates the settings.
     *
     * @param documentId the id
     * @param viewType the view type
     * @param initialState the initial state
     * @param peers the messaging actor or null
     * @param storage the storage or null
     * @param mapper the mapper
     * @param resyncInterval positive
     * @param snapshotTimeout positive
     * @param genesis edits in the initial change
     * @param repo the automerge-repo sharing, or null
     */
    public CollaborationSettings {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(viewType, "viewType");
        Objects.requireNonNull(initialState, "initialState");
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(resyncInterval, "resyncInterval");
        Objects.requireNonNull(snapshotTimeout, "snapshotTimeout");
        Objects.requireNonNull(genesis, "genesis");
        if (!ID.matcher(documentId).matches()) {
            throw new IllegalArgumentException("document id must be 1-128 characters of letters, digits and . _ -,"
                    + " but was \"" + documentId + "\"");
        }
        if (resyncInterval.isNegative() || resyncInterval.isZero()) {
            throw new IllegalArgumentException("resyncInterval must be positive, but was " + resyncInterval);
        }
        if (snapshotTimeout.isNegative() || snapshotTimeout.isZero()) {
            throw new IllegalArgumentException("snapshotTimeout must be positive, but was " + snapshotTimeout);
        }
        if (repo != null) {
            try {
                dev.ensemble.collab.repo.DocumentId.parse(documentId);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "a document shared through automerge-repo needs its bs58check id as document id: "
                                + e.getMessage(),
                        e);
            }
        }
    }

    /**
     * @param documentId names the document
     * @param viewType the type readers see
     * @param initialState the state the document starts from
     * @param <S> the view type
     * @return a builder
     */
    public static <S> Builder<S> builder(String documentId, Class<S> viewType, S initialState) {
        return new Builder<>(documentId, viewType, initialState);
    }

    /** A mapper for views: records, unknown fields ignored (peers may run a newer schema). */
    static ObjectMapper defaultMapper() {
        return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /**
     * Builds {@link CollaborationSettings}. Not thread-safe.
     *
     * @param <S> the view type
     */
    public static final class Builder<S> {
        private final String documentId;
        private final Class<S> viewType;
        private final S initialState;
        private ActorToken<PeerMessaging, Roster> peers;
        private DocumentStorage storage;
        private ObjectMapper mapper = defaultMapper();
        private Duration resyncInterval = DEFAULT_RESYNC_INTERVAL;
        private Duration snapshotTimeout = DEFAULT_SNAPSHOT_TIMEOUT;
        private Consumer<DocumentTransaction> genesis = tx -> {};
        private RepoSharing repo;

        private Builder(String documentId, Class<S> viewType, S initialState) {
            this.documentId = documentId;
            this.viewType = viewType;
            this.initialState = initialState;
        }

        /**
         * @param peers the room's messaging actor; also declare it as a dependency at registration
         * @return this builder
         */
        public Builder<S> peers(ActorToken<PeerMessaging, Roster> peers) {
            this.peers = peers;
            return this;
        }

        /**
         * @param storage where the document is persisted
         * @return this builder
         */
        public Builder<S> storage(DocumentStorage storage) {
            this.storage = storage;
            return this;
        }

        /**
         * @param mapper converts between the view type and the document's tree
         * @return this builder
         */
        public Builder<S> mapper(ObjectMapper mapper) {
            this.mapper = mapper;
            return this;
        }

        /**
         * @param interval how often sync is retried with each peer
         * @return this builder
         */
        public Builder<S> resyncInterval(Duration interval) {
            this.resyncInterval = interval;
            return this;
        }

        /**
         * @param timeout how long an empty peer waits for a snapshot
         * @return this builder
         */
        public Builder<S> snapshotTimeout(Duration timeout) {
            this.snapshotTimeout = timeout;
            return this;
        }

        /**
         * @param edits further edits of the initial change, identical on every peer (e.g. counters)
         * @return this builder
         */
        public Builder<S> genesis(Consumer<DocumentTransaction> edits) {
            this.genesis = edits;
            return this;
        }

        /**
         * @param repo the automerge-repo server to share the document through (declare its
         *     connection as a dependency too); the document id must be the automerge-repo id. May
         *     be combined with {@link #peers}: the room and the server then share one document
         * @return this builder
         */
        public Builder<S> repo(RepoSharing repo) {
            this.repo = repo;
            return this;
        }

        /** @return the settings */
        public CollaborationSettings<S> build() {
            return new CollaborationSettings<>(
                    documentId,
                    viewType,
                    initialState,
                    peers,
                    storage,
                    mapper,
                    resyncInterval,
                    snapshotTimeout,
                    genesis,
                    repo);
        }
    }
}
