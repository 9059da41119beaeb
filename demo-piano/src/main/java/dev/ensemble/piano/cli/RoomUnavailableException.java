package dev.ensemble.piano.cli;

/**
 * A player could not join a network room: the signaling server cannot be reached, refused the
 * join (for example the room is full), or did not let the player in within the wait. The message
 * names the room, the server and the reason, ready for the console.
 */
public final class RoomUnavailableException extends Exception {
    /**
     * @param message the room, the server and what went wrong
     */
    public RoomUnavailableException(String message) {
        super(message);
    }
}
