package dev.ensemble.signaling.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Starts real servers on 127.0.0.1 with free ports, and stops them and their clients after each test.
 *
 * <p>A clustered fixture starts every "server" as several nodes sharing one Redis and spreads the clients
 * of {@link #verified} and {@link #connected} over the nodes in turn, so that a test written for one
 * server checks that the nodes behave as one.
 */
final class ServerFixture implements AutoCloseable {

    private final List<SignalingServer> servers = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();
    /** Null for single servers. */
    private final String redisUri;

    private final int nodes;
    /** The first node of each cluster started, to all its nodes. */
    private final Map<SignalingServer, List<SignalingServer>> clusters = new HashMap<>();

    private int nextNode;

    /** Single servers. */
    ServerFixture() {
        this(null, 1);
    }

    private ServerFixture(String redisUri, int nodes) {
        this.redisUri = redisUri;
        this.nodes = nodes;
    }

    /** Every server started is {@code nodes} nodes sharing the Redis at {@code redisUri}. */
    static ServerFixture clustered(String redisUri, int nodes) {
        return new ServerFixture(redisUri, nodes);
    }

    static SignalingServerConfig.Builder local() {
        return SignalingServerConfig.builder().host("127.0.0.1").port(0).metricsPort(0);
    }

    SignalingServer start() throws IOException {
        return start(UnaryOperator.identity());
    }

    /** Starts a server (in a clustered fixture: all its nodes) and returns it (the first node). */
    SignalingServer start(UnaryOperator<SignalingServerConfig.Builder> customize) throws IOException {
        if (redisUri == null) {
            SignalingServer server =
                    new SignalingServer(customize.apply(local()).build()).start();
            servers.add(server);
            return server;
        }
        List<SignalingServer> cluster = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            SignalingServer node = new SignalingServer(
                            customize.apply(local()).redisUri(redisUri).build())
                    .start();
            servers.add(node);
            cluster.add(node);
        }
        clusters.put(cluster.get(0), cluster);
        return cluster.get(0);
    }

    /** All nodes of the cluster {@code server} is the first of (just {@code server} for a single one). */
    List<SignalingServer> nodes(SignalingServer server) {
        return clusters.getOrDefault(server, List.of(server));
    }

    /** The server itself, or the next node of its cluster in turn. */
    SignalingServer node(SignalingServer server) {
        List<SignalingServer> cluster = clusters.get(server);
        return cluster == null ? server : cluster.get(nextNode++ % cluster.size());
    }

    TestClient track(TestClient client) {
        clients.add(client);
        return client;
    }

    TestClient verified(SignalingServer server) throws InterruptedException {
        return track(TestClient.verified(node(server).uri()));
    }

    TestClient connected(SignalingServer server) throws InterruptedException {
        return track(TestClient.connect(node(server).uri()));
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
