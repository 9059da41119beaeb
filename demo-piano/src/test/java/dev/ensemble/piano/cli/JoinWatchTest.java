package dev.ensemble.piano.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportException.Reason;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JoinWatchTest {

    @Test
    void anErrorThatKeepsThePlayerOutIsToldWithWhatToDo() {
        assertEquals(
                Optional.of("the room is full (the signaling server reported room-full: join: room 'solo' already"
                        + " has the maximum of 1 peers); choose another one with --room"),
                JoinWatch.keptOut(
                        error(
                                Reason.ROOM_FULL,
                                "the signaling server reported room-full: join: room 'solo' already has the maximum of 1 peers")));
        assertEquals(
                Optional.of("the signaling server does not answer (Connection refused); check --server"),
                JoinWatch.keptOut(error(Reason.CONNECT_FAILED, "Connection refused")));
        assertEquals(
                Optional.of("the signaling server does not let this player in (bad token); the room may need a"
                        + " join token, or be closed and need an invite (--invite FILE)"),
                JoinWatch.keptOut(error(Reason.UNAUTHORIZED, "bad token")));
    }

    @Test
    void anErrorTheRelayRecoversFromDoesNotEndTheWait() {
        for (Reason reason : new Reason[] {Reason.RATE_LIMITED, Reason.PROTOCOL_ERROR, Reason.TOO_LARGE}) {
            assertEquals(Optional.empty(), JoinWatch.keptOut(error(reason, "whatever")), reason.toString());
        }
    }

    private static TransportException error(Reason reason, String message) {
        return new TransportException(reason, "solo", null, message, null);
    }
}
