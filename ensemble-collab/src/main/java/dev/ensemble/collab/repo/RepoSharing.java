package dev.ensemble.collab.repo;

import dev.ensemble.core.ActorToken;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link dev.ensemble.collab.CollaborationActor} shares its document with an automerge-repo
 * sync server: through which connection, and whether it {@link #create creates} a new document or
 * {@link #find finds} one that exists. Immutable.
 *
 * <pre>{@code
 * // A new document: its URL is DocumentId.random().url(), chosen before the actor starts.
 * DocumentId id = DocumentId.random();
 * CollaborationSettings.builder(id.toString(), ObjectNode.class, initial).repo(RepoSharing.create(SERVER)).build();
 * // An existing one, from a URL a web app shared:
 * AutomergeUrl url = AutomergeUrl.parse("automerge:...");
 * CollaborationSettings.builder(url.documentId().toString(), ObjectNode.class, empty)
 *         .repo(RepoSharing.find(SERVER)).build();
 * }</pre>
 *
 * @param connection the connection actor (declare it as a dependency too)
 * @param find true: the document exists elsewhere; start empty and ask for it (no initial state is
 *     written, so nothing of ours is mixed into it). false: create it from the initial state.
 * @param findTimeout how long, from the actor's start, a document to be found may take to arrive
 *     before it is reported unavailable (automerge-repo waits 60 s); covers a server that cannot
 *     be reached or never answers {@code join}
 */
public record RepoSharing(
        ActorToken<RepoConnection, RepoConnectionState> connection, boolean find, Duration findTimeout) {
    /** Default {@link #findTimeout}, as automerge-repo's. */
    public static final Duration DEFAULT_FIND_TIMEOUT = Duration.ofSeconds(60);

    /** Checks the fields. */
    public RepoSharing {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(findTimeout, "findTimeout");
        if (findTimeout.isNegative() || findTimeout.isZero()) {
            throw new IllegalArgumentException("findTimeout must be positive, but was " + findTimeout);
        }
    }

    /**
     * @param connection the connection actor
     * @return sharing that creates the document from the initial state
     */
    public static RepoSharing create(ActorToken<RepoConnection, RepoConnectionState> connection) {
        return new RepoSharing(connection, false, DEFAULT_FIND_TIMEOUT);
    }

    /**
     * @param connection the connection actor
     * @return sharing that finds an existing document
     */
    public static RepoSharing find(ActorToken<RepoConnection, RepoConnectionState> connection) {
        return new RepoSharing(connection, true, DEFAULT_FIND_TIMEOUT);
    }

    /**
     * @param timeout how long a find waits for an answer
     * @return a copy with that timeout
     */
    public RepoSharing withFindTimeout(Duration timeout) {
        return new RepoSharing(connection, find, timeout);
    }
}
