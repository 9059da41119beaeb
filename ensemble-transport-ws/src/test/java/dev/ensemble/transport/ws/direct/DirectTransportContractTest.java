package dev.ensemble.transport.ws.direct;

import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.FreePorts;
import dev.ensemble.testkit.transport.TestPeers;
import dev.ensemble.testkit.transport.TransportContractTest;
import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;

/**
 * The transport contract over direct connections on 127.0.0.1: the first transport of a test listens
 * on a free port, every later one dials it (expecting the first one's key), as servers in one network
 * would.
 */
class DirectTransportContractTest extends TransportContractTest {
    private int port;
    private PeerId hub;

    @BeforeEach
    void pickPort() {
        port = FreePorts.tcp();
        hub = null;
    }

    @Override
    protected Transport createTransport(PeerId peer) {
        DirectTransportConfig.Builder config = DirectTransportConfig.builder(TestPeers.identityOf(peer))
                .backoff(Backoff.of(Duration.ofMillis(20), Duration.ofMillis(200), 0.0));
        if (hub == null) {
            hub = peer;
            config.listen("127.0.0.1", port);
        } else {
            config.dial(URI.create("ws://127.0.0.1:" + port + "/"), hub);
        }
        return DirectTransport.create(config.build());
    }

    @Override
    protected void awaitCondition(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }

    /**
     * Over real sockets "everything in flight" has no end marker. A fresh connection to the listening
     * node is answered with its hello from its owner thread, after the events handed to it before; when
     * the node no longer listens there is nothing to wait for.
     */
    @Override
    protected void settle() throws Exception {
        RawPeer probe;
        try {
            probe = RawPeer.connect(port);
        } catch (AssertionError closed) {
            return;
        }
        try {
            probe.next();
        } finally {
            probe.closeBlocking();
        }
    }
}
