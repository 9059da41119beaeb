package dev.ensemble.benchmarks.core;

import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Ask round-trip latency, ours ({@code CompletableFuture} ask through the client proxy) against
 * Pekko typed ({@code AskPattern.ask}). One caller thread asks one echo actor, waits for the
 * answer, and records the round trip in an HdrHistogram. Both runtimes live in this JVM and take
 * turns in blocks, so that load from outside the benchmark falls on both alike.
 *
 * <p>Usage: {@code AskLatency <warm-up asks> <measured asks> <blocks>}; prints {@code result}
 * lines in microseconds.
 */
public final class AskLatency {
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);

    private AskLatency() {}

    /**
     * @param args warm-up asks, measured asks, blocks
     * @throws Exception if an ask fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: AskLatency <warm-up asks> <measured asks> <blocks>");
        }
        int warmup = Integer.parseInt(args[0]);
        int measured = Integer.parseInt(args[1]);
        int blocks = Integer.parseInt(args[2]);
        ActorToken<EchoActions, Void> token = ActorToken.of("echo", EchoActions.class, Void.class);
        try (ActorSystem ours =
                        ActorSystem.builder("ask").add(token, EnsembleEcho::new).start();
                PekkoHost pekko = new PekkoHost("ask")) {
            EchoActions echo = ours.client(token).actions();
            ActorRef<PekkoEcho.Echo> pekkoEcho = pekko.spawn(PekkoEcho.create(), "echo");
            Histogram oursLatency = new Histogram(HIGHEST_NANOS, 3);
            Histogram pekkoLatency = new Histogram(HIGHEST_NANOS, 3);
            Histogram discarded = new Histogram(HIGHEST_NANOS, 3);
            for (int block = 0; block < blocks; block++) {
                askOurs(echo, warmup / blocks, discarded);
                askPekko(pekko, pekkoEcho, warmup / blocks, discarded);
            }
            for (int block = 0; block < blocks; block++) {
                askOurs(echo, measured / blocks, oursLatency);
                askPekko(pekko, pekkoEcho, measured / blocks, pekkoLatency);
            }
            print("ours", oursLatency);
            print("pekko", pekkoLatency);
        }
    }

    private static void askOurs(EchoActions echo, int asks, Histogram latency) {
        for (int i = 0; i < asks; i++) {
            long started = System.nanoTime();
            Integer answer = echo.echo(i).join();
            latency.recordValue(System.nanoTime() - started);
            check(answer, i);
        }
    }

    private static void askPekko(PekkoHost host, ActorRef<PekkoEcho.Echo> echo, int asks, Histogram latency) {
        for (int i = 0; i < asks; i++) {
            int value = i;
            long started = System.nanoTime();
            CompletableFuture<Integer> reply = AskPattern.<PekkoEcho.Echo, Integer>ask(
                            echo,
                            replyTo -> new PekkoEcho.Echo(value, replyTo),
                            ASK_TIMEOUT,
                            host.system().scheduler())
                    .toCompletableFuture();
            Integer answer = reply.join();
            latency.recordValue(System.nanoTime() - started);
            check(answer, i);
        }
    }

    private static void check(Integer answer, int expected) {
        if (answer != expected) {
            throw new IllegalStateException("echo answered " + answer + " to " + expected);
        }
    }

    private static void print(String runtime, Histogram latency) {
        for (String[] percentile : new String[][] {{"p50", "50"}, {"p99", "99"}, {"p999", "99.9"}}) {
            double micros = latency.getValueAtPercentile(Double.parseDouble(percentile[1])) / 1_000.0;
            System.out.printf("result ask-%s-us-%s %.2f%n", percentile[0], runtime, micros);
        }
        System.out.printf("result ask-count-%s %d%n", runtime, latency.getTotalCount());
    }
}
