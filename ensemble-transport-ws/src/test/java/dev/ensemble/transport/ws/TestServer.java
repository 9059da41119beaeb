package dev.ensemble.transport.ws;

import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.PeerIdentity;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** A real signaling server on 127.0.0.1 that can be stopped and started again on its port. */
final class TestServer implements AutoCloseable {
    private SignalingServerConfig config;
    private SignalingServer server;
    private int port;

    TestServer() throws IOException {
        this(List.of());
    }

    TestServer(List<String> stunUrls) throws IOException {
        this(builder -> builder.stunUrls(stunUrls));
    }

    /** A server with the test defaults changed by {@code settings}. */
    TestServer(UnaryOperator<SignalingServerConfig.Builder> settings) throws IOException {
        this.config = settings.apply(SignalingServerConfig.loopback()).build();
        start();
    }

    void start() throws IOException {
        server = new SignalingServer(config).start();
        port = server.port();
        config = config.toBuilder().port(port).build();
    }

    void stop() {
        server.stop(Duration.ofSeconds(1));
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port + "/");
    }

    /**
     * Fast reconnects so that tests do not wait long for a restarted server. The connect timeout is
     * shorter than the default because a connection accepted while the server stops can be left
     * neither served nor closed, and only the timeout ends that attempt; it stays above the first
     * handshake of a cold JVM on a busy machine (over 1 s: class loading and the first Ed25519
     * operations), which would otherwise time out and retry.
     */
    WebSocketTransportConfig.Builder config(String room, PeerIdentity identity) {
        return WebSocketTransportConfig.builder(uri(), room, identity)
                .backoff(Backoff.of(Duration.ofMillis(20), Duration.ofMillis(200), 0.5))
                .connectTimeout(Duration.ofSeconds(3));
    }

    WebSocketTransport transport(String room, PeerIdentity identity) {
        return WebSocketTransport.create(config(room, identity).build());
    }

    @Override
    public void close() {
        stop();
    }
}
