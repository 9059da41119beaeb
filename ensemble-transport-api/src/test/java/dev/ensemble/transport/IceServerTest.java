package dev.ensemble.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IceServerTest {

    @Test
    void describesStunAndTurnServersAndHidesTheCredential() {
        IceServer stun = IceServer.of("stun:stun.example.org:3478");
        assertFalse(stun.isTurn());
        assertFalse(stun.hasCredentials());
        IceServer turn = IceServer.of(List.of("turns:turn.example.org:5349"), "1700000000:peer", "s3cret");
        assertTrue(turn.isTurn());
        assertTrue(turn.hasCredentials());
        assertEquals("IceServer[turns:turn.example.org:5349] as 1700000000:peer", turn.toString());
        // A server may announce a TURN URL without credentials; whether it is usable is the transport's call.
        assertFalse(IceServer.of(List.of("turn:turn.example.org")).hasCredentials());
    }

    @Test
    void rejectsWhatNoIceServerCanBeNamingTheValue() {
        assertEquals(
                "an ICE server needs at least one URL",
                assertThrows(IllegalArgumentException.class, () -> IceServer.of(List.of()))
                        .getMessage());
        assertEquals(
                "ICE server URL must start with stun:, stuns:, turn: or turns:, was \"https://example.org\"",
                assertThrows(IllegalArgumentException.class, () -> IceServer.of("https://example.org"))
                        .getMessage());
        assertEquals(
                "an ICE server needs both a username and a credential, or neither; [turn:t] has only a username",
                assertThrows(IllegalArgumentException.class, () -> IceServer.of(List.of("turn:t"), "user", null))
                        .getMessage());
    }
}
