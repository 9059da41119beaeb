package dev.ensemble.signaling.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code GET /healthz} (200 "ok" while serving; 503 and the reason while stopping or, in a cluster, while
 * Redis does not answer) and {@code GET /metrics} (Prometheus
 * text) on the JDK's built-in HTTP server, on its own port so it can stay private to the operator.
 *
 * <p>Requests are served by one dedicated thread; rendering only reads thread-safe counters.
 */
final class MetricsHttpServer {

    private final HttpServer server;
    private final ExecutorService executor;

    /** @param problem what keeps the server from being healthy, or null while it is */
    MetricsHttpServer(String host, int port, ServerMetrics metrics, Supplier<String> problem) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "signaling-metrics-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/healthz", exchange -> {
            String reason = problem.get();
            respond(
                    exchange,
                    reason == null ? 200 : 503,
                    "text/plain; charset=utf-8",
                    reason == null ? "ok\n" : reason + "\n");
        });
        server.createContext(
                "/metrics",
                exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render()));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, "HEAD".equals(exchange.getRequestMethod()) ? -1 : bytes.length);
            if (!"HEAD".equals(exchange.getRequestMethod())) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
