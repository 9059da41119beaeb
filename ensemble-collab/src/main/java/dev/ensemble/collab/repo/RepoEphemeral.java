package dev.ensemble.collab.repo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.core.ActorToken;

/**
 * The actions of a {@link RepoEphemeralBridge}: one ephemeral message to a room's peers and to the
 * automerge-repo clients of the same document at once. A tell; the client's proxy may be called
 * from any thread.
 *
 * <pre>{@code
 * static final ActorToken<RepoEphemeral, RepoEphemeralStatus> CURSORS = RepoEphemeral.token("cursors");
 * system.client(CURSORS).actions().broadcast(cursor);   // the room, and every web page on the document
 * }</pre>
 */
public interface RepoEphemeral {
    /**
     * A token for a bridge.
     *
     * @param name the actor's name
     * @return its token
     */
    static ActorToken<RepoEphemeral, RepoEphemeralStatus> token(String name) {
        return ActorToken.of(name, RepoEphemeral.class, RepoEphemeralStatus.class);
    }

    /**
     * Sends a message to every peer of the room (on the bridge's topic of the room's
     * {@link dev.ensemble.collab.ephemeral.EphemeralChannel}) and, as an automerge-repo
     * {@code ephemeral} message of the document, to the server, which forwards it to the document's
     * other clients (a JavaScript {@code DocHandle} hears it as {@code ephemeral-message}). Dropped
     * toward the server while it is not connected, as automerge-repo does. Tell.
     *
     * @param message any JSON value but null (JavaScript receives it as the same value)
     * @throws IllegalArgumentException if it is larger than the topic allows
     */
    void broadcast(JsonNode message);
}
