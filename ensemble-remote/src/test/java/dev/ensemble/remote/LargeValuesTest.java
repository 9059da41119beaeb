package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActorClient;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.remote.RemoteCallException.Reason;
import dev.ensemble.remote.wire.Frame;
import dev.ensemble.remote.wire.FrameCodec;
import dev.ensemble.testkit.Await;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Values larger than a transport message (64 KiB on the simulator, as on the relay) travel as
 * chunks and are put back together on the other node, within bounds.
 */
class LargeValuesTest {
    private static final PeerId A = SimNodes.id("node-a");
    private static final PeerId B = SimNodes.id("node-b");
    private static final PeerId MALLORY = SimNodes.id("mallory");
    private static final AccessPolicy ALL = AccessPolicy.everyone(Permission.values());
    /** Five transport messages' worth of text. */
    private static final String BIG = "x".repeat(300_000);

    private final long seed = NetworkSimulator.chooseSeed();
    private SimNodes sim;

    @AfterEach
    void closeNodes() {
        if (sim != null) {
            sim.close();
        }
    }

    private ActorClient<CounterActions, Tally> connect(
            LinkConditions conditions,
            UnaryOperator<RemoteActors.Builder> settingsA,
            UnaryOperator<RemoteActors.Builder> settingsB) {
        sim = new SimNodes(NetworkSimulator.builder()
                .seed(seed)
                .traceCapacity(0)
                .conditions(conditions)
                .build());
        RemoteActors a = sim.node("node-a", settingsA);
        RemoteActors b = sim.node("node-b", settingsB);
        b.expose(Counter.TOKEN, ALL);
        sim.pumpUntil("A and B see each other up", () -> a.isUp(B) && b.isUp(A));
        return a.client(B, Counter.TOKEN);
    }

    @Test
    void aLargeArgumentAndALargeResultTravelAsChunks() {
        ActorClient<CounterActions, Tally> counter = connect(LinkConditions.PERFECT, s -> s, s -> s);
        assertEquals(BIG, sim.await(counter.actions().describe(BIG)), "seed " + seed);
        assertTrue(sim.remote(0).stats().valuesChunked() >= 1, "the call went in chunks");
        assertTrue(sim.remote(1).stats().valuesChunked() >= 1, "the reply came back in chunks");
        assertEquals(0, sim.remote(1).stats().chunkStreamsDropped());
    }

    @Test
    void aLargeEventReachesItsSubscriberWhole() {
        ActorClient<CounterActions, Tally> counter = connect(LinkConditions.PERFECT, s -> s, s -> s);
        List<Object> seen = new CopyOnWriteArrayList<>();
        counter.onEvent("remembered", event -> seen.add(event.payload()));
        // The subscription is a call too: calls made after it are served after it.
        counter.actions().remember(BIG);
        counter.actions().remember("small");
        sim.pumpUntil("both events arrive", () -> seen.size() == 2);
        assertEquals(List.of(BIG, "small"), seen, "in the order sent");
    }

    @Test
    void aLaterSmallCallNeverOvertakesALargeOneEvenOverAReorderingLink() {
        ActorClient<CounterActions, Tally> counter = connect(
                LinkConditions.builder()
                        .latency(Duration.ofMillis(1), Duration.ofMillis(30))
                        .build(),
                s -> s,
                s -> s);
        // What B's actor did, in its own order.
        List<Integer> order = new CopyOnWriteArrayList<>();
        sim.system(1).client(Counter.TOKEN).onEvent("remembered", event -> {
            String text = (String) event.payload();
            order.add(Integer.parseInt(text.substring(0, text.indexOf(':'))));
        });
        int pairs = 10;
        for (int i = 0; i < pairs; i++) {
            counter.actions().remember((2 * i) + ":" + BIG); // a large call...
            counter.actions().remember((2 * i + 1) + ":"); // ...and a small one right behind it
        }
        sim.network.runFor(Duration.ofSeconds(2));
        RemoteActors b = sim.remote(1);
        sim.pumpUntil(
                "B's actor took every call B accepted",
                () -> order.size() == b.stats().callsServed(),
                () -> order + " of " + b.stats());
        assertTrue(order.size() > 0, "seed " + seed);
        for (int i = 1; i < order.size(); i++) {
            assertTrue(order.get(i) > order.get(i - 1), "seed " + seed + ": call order " + order);
        }
        // Reordering interleaves the chunks of up to ten values in flight: those beyond the four
        // incomplete values a node may have at once are dropped as well (at most once).
        assertEquals(
                2 * pairs,
                order.size() + b.stats().outOfOrderDropped() + b.stats().chunkStreamsDropped(),
                "seed " + seed + ": each call was taken, dropped as overtaken or dropped as one partial value too"
                        + " many, " + order + " " + b.stats());
    }

    @Test
    void aCallOverMaxValueSizeFailsOnTheCallerAndNothingIsSent() {
        ActorClient<CounterActions, Tally> counter =
                connect(LinkConditions.PERFECT, s -> s.maxValueSize(128 * 1024), s -> s);
        CompletableFuture<String> ask = counter.actions().describe(BIG);
        assertTrue(ask.isDone(), "failed at once, without the network");
        RemoteCallException error = assertInstanceOf(RemoteCallException.class, sim.failure(ask));
        assertEquals(Reason.TOO_LARGE, error.reason());
        assertTrue(
                error.getMessage()
                        .matches("(?s).*describe\\(\\) of actor \"counter\": the call is \\d{6} bytes"
                                + " encoded, more than maxValueSize \\(131072 bytes\\); it was not sent.*"),
                error.getMessage());
        RemoteCallException tell =
                assertThrows(RemoteCallException.class, () -> counter.actions().remember(BIG));
        assertEquals(Reason.TOO_LARGE, tell.reason());
        assertEquals(0, sim.remote(0).stats().valuesChunked(), "nothing was cut, nothing sent");
        counter.actions().increment(3);
        assertEquals(3, sim.await(counter.actions().total()), "the link goes on");
        assertEquals("small", sim.await(counter.actions().describe("small")));
    }

    @Test
    void aValueAboveTheReceiversLimitIsDroppedThereAndCounted() {
        ActorClient<CounterActions, Tally> counter =
                connect(LinkConditions.PERFECT, s -> s, s -> s.maxValueSize(128 * 1024));
        CompletableFuture<String> dropped = counter.actions().describe(BIG);
        sim.pumpUntil("B drops it", () -> sim.remote(1).stats().chunkStreamsDropped() == 1);
        counter.actions().increment(2);
        assertEquals(2, sim.await(counter.actions().total()), "seed " + seed + ": later calls go on");
        // The receiver answers for the call it dropped unread (MismatchedValueSizesTest has the details).
        RemoteCallException error = assertInstanceOf(RemoteCallException.class, sim.failure(dropped));
        assertEquals(Reason.TOO_LARGE, error.reason(), error::toString);
    }

    @Test
    void hostileChunksAreCountedAndDroppedWithoutAffectingOtherCallers() {
        ActorClient<CounterActions, Tally> counter = connect(
                LinkConditions.PERFECT, s -> s, s -> s.maxPartialValues(4).reassemblyTimeout(Duration.ofMillis(300)));
        RemoteActors b = sim.remote(1);
        Transport mallory = sim.network.transportFor(MALLORY);
        mallory.start(new TransportListener() {});
        sim.pumpUntil("mallory is connected", () -> b.isUp(MALLORY));
        byte[] slice = new byte[100];
        // 1: a value declared above maxValueSize (16 MiB).
        mallory.send(B, chunk(1, 0, 2, 20 * 1024 * 1024, slice));
        // 2: wrong totals.
        mallory.send(B, chunk(2, 0, 3, 300, slice));
        mallory.send(B, chunk(2, 1, 3, 301, slice));
        // 3: overlap: index 0 again with other bytes.
        mallory.send(B, chunk(3, 0, 3, 300, slice));
        mallory.send(B, chunk(3, 0, 3, 300, new byte[] {1, 2, 3}));
        // 4: complete, but not a frame once put together.
        mallory.send(B, chunk(4, 0, 2, 200, slice));
        mallory.send(B, chunk(4, 1, 2, 200, slice));
        // 5: out of range: index above count (a malformed frame).
        byte[] outOfRange = FrameCodec.encode(new Frame.Chunk(5, 0, 2, 200, slice));
        outOfRange[4] = 7;
        mallory.send(B, outOfRange);
        // 10..13: four values left incomplete (the most a node may have), 14: one too many.
        for (int id = 10; id <= 14; id++) {
            mallory.send(B, chunk(id, 0, 2, 200, slice));
        }
        sim.pumpUntil(
                "B counted every bad value",
                () -> b.stats().chunkStreamsDropped() == 5 && b.stats().malformedFrames() == 1,
                b::stats);

        // Meanwhile A's large call is unaffected: its values are A's, not mallory's.
        assertEquals(BIG, sim.await(counter.actions().describe(BIG)), "seed " + seed);
        Await.until("mallory's incomplete values expire", Duration.ofSeconds(10), () -> {
            sim.network.runFor(Duration.ofMillis(5));
            return b.stats().chunkStreamsExpired() == 4;
        });
        assertEquals(5, b.stats().chunkStreamsDropped(), "expiry is counted apart");
    }

    private static byte[] chunk(long messageId, int index, int count, int total, byte[] data) {
        return FrameCodec.encode(new Frame.Chunk(messageId, index, count, total, data));
    }
}
