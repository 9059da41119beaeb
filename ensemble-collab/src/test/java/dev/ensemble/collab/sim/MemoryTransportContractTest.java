package dev.ensemble.collab.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.testkit.transport.TransportContractTest;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The transport contract, run over the in-memory transport of the network simulator. */
@ExtendWith(SimulationSeedExtension.class)
class MemoryTransportContractTest extends TransportContractTest {

    private NetworkSimulator network;

    @BeforeEach
    void createNetwork(SimulationSeed seed) {
        network = NetworkSimulator.builder().seed(seed.value()).build();
    }

    @Override
    protected Transport createTransport(PeerId peer) {
        return network.transportFor(peer);
    }

    @Override
    protected void awaitCondition(String what, BooleanSupplier condition) {
        assertTrue(network.runUntil(condition, 100_000), "timed out waiting until " + what + " on " + network);
    }

    @Override
    protected void settle() {
        network.runUntilQuiet(100_000);
    }
}
