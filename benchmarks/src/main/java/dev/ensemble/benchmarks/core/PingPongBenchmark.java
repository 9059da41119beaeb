package dev.ensemble.benchmarks.core;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ping-pong throughput in messages per second: every invocation delivers
 * {@value #MESSAGES_PER_ROUND} messages, split evenly over the pairs, so that both runtimes and
 * both pair counts do the same work per operation. {@link CoreSuite} runs it with the same fork
 * settings for both runtimes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PingPongBenchmark {
    /** Messages per invocation: 2^18, divisible by every pair count used. */
    public static final int MESSAGES_PER_ROUND = 262_144;

    /** Which runtime plays. */
    @Param({Runtimes.OURS, Runtimes.PEKKO})
    public String runtime;

    /** How many pairs play at once. */
    @Param({"1", "64"})
    public int pairs;

    private PingPong pingPong;

    /** Starts the runtime and its players. */
    @Setup(Level.Trial)
    public void start() {
        if (MESSAGES_PER_ROUND % pairs != 0) {
            throw new IllegalArgumentException("pairs must divide " + MESSAGES_PER_ROUND + ", but was " + pairs);
        }
        pingPong = PingPong.create(runtime, pairs);
    }

    /**
     * One round in every pair.
     *
     * @throws Exception if a round times out
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES_PER_ROUND)
    public void round() throws Exception {
        pingPong.play(MESSAGES_PER_ROUND / pairs);
    }

    /** Stops the runtime. */
    @TearDown(Level.Trial)
    public void stop() {
        pingPong.close();
    }
}
