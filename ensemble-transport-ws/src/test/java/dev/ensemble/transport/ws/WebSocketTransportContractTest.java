package dev.ensemble.transport.ws;

import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.testkit.transport.TransportContractTest;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The transport contract over a real signaling server on 127.0.0.1. */
class WebSocketTransportContractTest extends TransportContractTest {
    private static final String ROOM = "contract";

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
        return server.transport(ROOM, TestPeers.identityOf(peer));
    }

    @Override
    protected void awaitCondition(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }

    /**
     * Over real sockets "everything in flight" has no end marker; a round trip through the server
     * on a fresh connection bounds what the server had queued before it.
     */
    @Override
    protected void settle() throws Exception {
        try (Probe probe = Probe.connect(server.uri())) {
            probe.roundTrip();
        }
    }
}
