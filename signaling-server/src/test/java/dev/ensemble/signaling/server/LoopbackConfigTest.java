package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link SignalingServerConfig#loopback()}: the preset for a server embedded in a process. */
class LoopbackConfigTest {

    @Test
    void presetsLoopbackHostFreePortAndNoMetrics() {
        SignalingServerConfig config = SignalingServerConfig.loopback().build();

        assertEquals("127.0.0.1", config.host());
        assertEquals(0, config.port());
        assertEquals(SignalingServerConfig.METRICS_DISABLED, config.metricsPort());
        // Everything else keeps its default.
        assertEquals(SignalingServerConfig.DEFAULT_RELAY_RATE, config.relayRate());
        assertEquals(SignalingServerConfig.DEFAULT_MAX_PEERS_PER_ROOM, config.maxPeersPerRoom());
    }

    @Test
    void settersStillOverrideThePreset() {
        SignalingServerConfig config =
                SignalingServerConfig.loopback().port(9999).metricsPort(0).build();

        assertEquals("127.0.0.1", config.host());
        assertEquals(9999, config.port());
        assertEquals(0, config.metricsPort());
    }

    @Test
    void startedServerListensOnLoopbackOnARealPortAndServesNoMetrics() throws Exception {
        SignalingServer server =
                new SignalingServer(SignalingServerConfig.loopback().build()).start();
        try {
            assertNotEquals(0, server.port(), "port 0 must be replaced by the bound port");
            assertEquals(URI.create("ws://127.0.0.1:" + server.port()), server.uri());
            assertEquals(SignalingServerConfig.METRICS_DISABLED, server.metricsPort());
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
                assertTrue(socket.isConnected());
            }
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }
}
