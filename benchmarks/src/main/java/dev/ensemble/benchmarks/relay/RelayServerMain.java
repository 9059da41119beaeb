package dev.ensemble.benchmarks.relay;

import dev.ensemble.signaling.server.RateLimit;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The server side of the relay suite, run in its own JVM so that its heap holds only server state:
 * a {@link SignalingServer} and an {@link EchoServer}, both on 127.0.0.1.
 *
 * <p>Line protocol on stdin/stdout: prints {@code ready <signaling port> <metrics port> <echo port>};
 * then answers {@code heap} with {@code heap <used bytes after settled GCs>}, {@code echo-rearms} with
 * {@code echo-rearms <n>}, and stops on {@code quit} or end of input. It also exits by itself after
 * the deadline given as its first argument (seconds), so an orphan never lingers. With a third
 * argument, a Redis URI, the signaling server is one node of a cluster over that Redis.
 */
public final class RelayServerMain {

    /**
     * Limits raised so that the benchmark measures the relay, not the rate limiter. The idle timeout
     * is also the keep-alive period: the server pings every connection once per period.
     */
    static SignalingServerConfig benchmarkConfig(Duration idleTimeout) {
        return SignalingServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .metricsPort(0)
                .relayRate(new RateLimit(1_000_000, 1_000_000))
                .controlRate(new RateLimit(1_000, 1_000))
                .floodDisconnectThreshold(1_000_000)
                .handshakeTimeout(Duration.ofSeconds(60))
                .idleTimeout(idleTimeout)
                .build();
    }

    private RelayServerMain() {}

    /**
     * @param args the deadline in seconds, then the signaling server's idle timeout in seconds, then
     *     optionally the Redis URI of the cluster the signaling server joins
     * @throws Exception if a server cannot start
     */
    public static void main(String[] args) throws Exception {
        long deadlineSeconds = Long.parseLong(args[0]);
        Duration idleTimeout = Duration.ofSeconds(Long.parseLong(args[1]));
        String redisUri = args.length > 2 ? args[2] : null;
        SuiteDeadline.startForChild("relay server", Duration.ofSeconds(deadlineSeconds));

        SignalingServer signaling = new SignalingServer(benchmarkConfig(idleTimeout).toBuilder()
                        .redisUri(redisUri)
                        .build())
                .start();
        EchoServer echo = new EchoServer(signaling.config().writeGuardInterval()).startAndWait(Duration.ofSeconds(10));
        System.out.println("ready " + signaling.port() + " " + signaling.metricsPort() + " " + echo.getPort());
        System.out.flush();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                switch (line) {
                    case "heap" -> System.out.println("heap " + settledUsedHeap(memory));
                    case "echo-rearms" -> System.out.println("echo-rearms " + echo.guardRearms());
                    default ->
                        System.out.println("error unknown command '" + line + "'; known: heap, echo-rearms, quit");
                }
                System.out.flush();
            }
        } finally {
            echo.shutDown();
            signaling.stop(Duration.ofSeconds(2));
        }
        System.exit(0);
    }

    /** Full collections until the used heap changes by less than 0.5 %, at most ten. */
    private static long settledUsedHeap(MemoryMXBean memory) throws InterruptedException {
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int attempt = 0; attempt < 10; attempt++) {
            System.gc();
            // Not synchronisation: gives reference processing a moment between collections.
            Thread.sleep(200);
            used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < used / 200) {
                break;
            }
            previous = used;
        }
        return used;
    }
}
