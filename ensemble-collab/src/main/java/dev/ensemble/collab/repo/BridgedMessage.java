package dev.ensemble.collab.repo;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An ephemeral message a {@link RepoEphemeralBridge} delivers: the payload of its
 * {@link RepoEphemeralBridge#MESSAGE} events, whichever way it came.
 *
 * @param from the sender: a room peer's did:key, or an automerge-repo client's peer id (not
 *     authenticated: automerge-repo peers may claim any id)
 * @param fromRoom true if it came from a room peer over the room, false if from the server
 * @param message the JSON value sent; treat it as hostile input
 */
public record BridgedMessage(String from, boolean fromRoom, JsonNode message) {}
