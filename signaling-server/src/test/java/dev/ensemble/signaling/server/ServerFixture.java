package dev.ensemble.signaling.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Starts real servers on 127.0.0.1 with free ports, and stops them and their clients after each test. */
final class ServerFixture implements AutoCloseable {

    private final List<SignalingServer> servers = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();

    static SignalingServerConfig.Builder local() {
        return SignalingServerConfig.builder().host("127.0.0.1").port(0).metricsPort(0);
    }

    SignalingServer start() throws IOException {
        return start(UnaryOperator.identity());
    }

    SignalingServer start(UnaryOperator<SignalingServerConfig.Builder> customize) throws IOException {
        SignalingServer server = new SignalingServer(customize.apply(local()).build()).start();
        servers.add(server);
        return server;
    }

    TestClient track(TestClient client) {
        clients.add(client);
        return client;
    }

    TestClient verified(SignalingServer server) throws InterruptedException {
        return track(TestClient.verified(server.uri()));
    }

    TestClient connected(SignalingServer server) throws InterruptedException {
        return track(TestClient.connect(server.uri()));
    }

    static String http(SignalingServer server, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    @Override
    public void close() throws InterruptedException {
        for (TestClient client : clients) {
            if (client.isOpen()) {
                client.close();
            }
        }
        for (SignalingServer server : servers) {
            server.stop(Duration.ofMillis(500));
        }
    }
}
