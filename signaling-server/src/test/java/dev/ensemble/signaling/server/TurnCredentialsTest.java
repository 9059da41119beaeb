package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.transport.IceServer;
import dev.ensemble.transport.PeerId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {

    @Test
    void matchesTheWorkedExampleOfTheProtocolDocument() {
        PeerId peer = PeerId.parse("did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH");
        IceServer turn = TurnCredentials.issue(
                List.of("turn:turn.example.org:3478"),
                "example-turn-secret",
                peer,
                Instant.parse("2030-01-01T00:00:00Z"));
        assertEquals("1893456000:did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH", turn.username());
        assertEquals("ZSQta1ohLzYzJhZMlyFowfFk/6U=", turn.credential());
    }
}
