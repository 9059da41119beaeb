package dev.ensemble.transport.ws;

import dev.ensemble.signaling.identity.PeerIdentity;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportContractTest;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The transport contract over a real signaling server on 127.0.0.1. Each contract peer is a fresh
 * did:key identity; {@link RenamedTransport} shows it under the contract's fixed id.
 */
class WebSocketTransportContractTest extends TransportContractTest {
    private static final String ROOM = "contract";

    private TestServer server;
    private final Map<PeerId, PeerIdentity> identities = new HashMap<>();
    private final Map<PeerId, PeerId> realByShown = new HashMap<>();
    private final Map<PeerId, PeerId> shownByReal = new HashMap<>();

    @BeforeEach
    void startServer() throws Exception {
        server = new TestServer();
        for (PeerId shown : new PeerId[] {ALICE, BOB, NOBODY}) {
            PeerIdentity identity = PeerIdentity.generate();
            PeerId real = PeerId.of(identity.peerId().toString());
            identities.put(shown, identity);
            realByShown.put(shown, real);
            shownByReal.put(real, shown);
        }
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Override
    protected Transport createTransport(PeerId peer) {
        return new RenamedTransport(server.transport(ROOM, identities.get(peer)), realByShown, shownByReal);
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
