package dev.ensemble.transport.ws;

import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.testkit.transport.TransportContractTest;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.secure.SecureTransport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The transport contract for sessions over the WebSocket relay of a real signaling server on 127.0.0.1. */
class SecureTransportContractTest extends TransportContractTest {
    private static final String ROOM = "contract-sealed";

    private TestServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new TestServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Override
    protected Transport createTransport(PeerId peer) {
        PeerIdentity identity = TestPeers.identityOf(peer);
        return SecureTransport.wrap(server.transport(ROOM, identity), identity, ROOM);
    }

    @Override
    protected void awaitCondition(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }

    /** As for the bare relay: a round trip through the server bounds what it had queued. */
    @Override
    protected void settle() throws Exception {
        try (Probe probe = Probe.connect(server.uri())) {
            probe.roundTrip();
        }
    }
}
