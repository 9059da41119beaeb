package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActorClient;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.remote.RemoteCallException.Reason;
import dev.ensemble.transport.PeerId;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes whose {@code maxValueSize} differ: a value that the sender may send but the receiver
 * refuses fails its call at once with {@link Reason#TOO_LARGE} naming the size and the limit (never
 * an ask timeout), in both directions, and the link and the other calls go on.
 */
class MismatchedValueSizesTest {
    private static final PeerId A = SimNodes.id("node-a");
    private static final PeerId B = SimNodes.id("node-b");
    private static final int SMALL_LIMIT = 100 * 1024;
    /** Far beyond how long these tests pump: a call that fails did not time out. */
    private static final Duration NO_TIMEOUT = Duration.ofMinutes(10);

    private final long seed = NetworkSimulator.chooseSeed();
    private SimNodes sim;

    @AfterEach
    void closeNodes() {
        if (sim != null) {
            sim.close();
        }
    }

    private ActorClient<CounterActions, Tally> connect(
            UnaryOperator<RemoteActors.Builder> settingsA, UnaryOperator<RemoteActors.Builder> settingsB) {
        sim = new SimNodes(NetworkSimulator.builder()
                .seed(seed)
                .traceCapacity(0)
                .conditions(LinkConditions.PERFECT)
                .build());
        RemoteActors a = sim.node("node-a", s -> settingsA.apply(s.askTimeout(NO_TIMEOUT)));
        RemoteActors b = sim.node("node-b", settingsB);
        b.expose(Counter.TOKEN, AccessPolicy.everyone(Permission.values()));
        sim.pumpUntil("A and B see each other up", () -> a.isUp(B) && b.isUp(A));
        return a.client(B, Counter.TOKEN);
    }

    @Test
    void anArgumentTooLargeForTheReceiverFailsTheAskAtOnceNamingSizeAndLimit() {
        ActorClient<CounterActions, Tally> counter = connect(s -> s, s -> s.maxValueSize(SMALL_LIMIT));
        String big = "x".repeat(300_000);

        CompletableFuture<String> tooLarge = counter.actions().describe(big);
        RemoteCallException error = assertInstanceOf(RemoteCallException.class, sim.failure(tooLarge));
        assertEquals(Reason.TOO_LARGE, error.reason(), error::toString);
        assertEquals(B, error.node());
        String message = error.getMessage();
        assertTrue(message.contains("describe()") && message.contains("\"counter\""), message);
        assertTrue(message.matches(".*the call is 3\\d{5} bytes encoded.*"), message);
        assertTrue(message.contains("maxValueSize (" + SMALL_LIMIT + " bytes)"), message);

        // The link and the other calls are unaffected.
        assertEquals("small", sim.await(counter.actions().describe("small")), "seed " + seed);
        assertTrue(sim.remote(0).isUp(B));
        RemoteActors b = sim.remote(1);
        assertEquals(1, b.stats().callsRefused(), b.stats()::toString);
        assertEquals(1, b.stats().chunkStreamsDropped(), b.stats()::toString);
    }

    @Test
    void aTellTooLargeForTheReceiverIsReportedBackAndCounted() {
        ActorClient<CounterActions, Tally> counter = connect(s -> s, s -> s.maxValueSize(SMALL_LIMIT));
        counter.actions().remember("y".repeat(300_000));
        sim.pumpUntil(
                "A hears that B refused the tell",
                () -> sim.remote(0).stats().tellsRefused() == 1,
                () -> sim.remote(0).stats());
        counter.actions().increment(3);
        assertEquals(3, sim.await(counter.actions().total()), "seed " + seed);
    }

    @Test
    void aResultTooLargeForTheCallerFailsTheAskAtOnceNamingSizeAndLimit() {
        ActorClient<CounterActions, Tally> counter = connect(s -> s.maxValueSize(SMALL_LIMIT), s -> s);
        // 50,000 zeros are about 50 KB of CBOR there; their text, "[0, 0, ...]", is 150 KB back.
        List<Integer> zeros = Collections.nCopies(50_000, 0);

        CompletableFuture<String> tooLarge = counter.actions().describe(zeros);
        RemoteCallException error = assertInstanceOf(RemoteCallException.class, sim.failure(tooLarge));
        assertEquals(Reason.TOO_LARGE, error.reason(), error::toString);
        String message = error.getMessage();
        assertTrue(message.contains("describe()") && message.contains("\"counter\""), message);
        assertTrue(message.matches(".*the result is 1\\d{5} bytes encoded.*"), message);
        assertTrue(message.contains("maxValueSize (" + SMALL_LIMIT + " bytes)"), message);

        assertEquals("small", sim.await(counter.actions().describe("small")), "seed " + seed);
        assertTrue(sim.remote(0).isUp(B));
        assertEquals(0, sim.remote(0).stats().unknownReplies(), sim.remote(0).stats()::toString);
    }
}
