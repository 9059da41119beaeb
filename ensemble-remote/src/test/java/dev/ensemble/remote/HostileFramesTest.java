package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActorClient;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.remote.wire.Frame;
import dev.ensemble.remote.wire.FrameCodec;
import dev.ensemble.remote.wire.ReplyStatus;
import dev.ensemble.remote.wire.WireValue;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A hostile peer floods a node with malformed and forged frames while an honest node keeps calling:
 * every bad frame is dropped or refused and counted, nothing crashes, and the honest caller is not
 * affected.
 */
class HostileFramesTest {
    private static final PeerId A = SimNodes.id("node-a");
    private static final PeerId B = SimNodes.id("node-b");
    private static final PeerId MALLORY = SimNodes.id("mallory");

    @Test
    void aFloodOfMalformedAndForgedFramesBreaksNeitherTheNodeNorAnotherCaller() {
        long seed = NetworkSimulator.chooseSeed();
        SplittableRandom random = new SplittableRandom(seed);
        try (SimNodes sim = new SimNodes(NetworkSimulator.builder()
                .seed(seed)
                .traceCapacity(0)
                .conditions(LinkConditions.PERFECT)
                .build())) {
            RemoteActors a = sim.node("node-a");
            RemoteActors b = sim.node("node-b");
            b.expose(
                    Counter.TOKEN,
                    AccessPolicy.none()
                            .allow(Permission.TELL, A)
                            .allow(Permission.ASK, A)
                            .allow(Permission.READ_STATE, A));
            Transport mallory = sim.network.transportFor(MALLORY);
            AtomicInteger answers = new AtomicInteger();
            mallory.start(new TransportListener() {
                @Override
                public void onMessage(PeerId from, byte[] message) {
                    answers.incrementAndGet();
                }
            });
            sim.pumpUntil("everyone is connected", () -> a.isUp(B) && b.isUp(A) && b.isUp(MALLORY));
            ActorClient<CounterActions, Tally> counter = a.client(B, Counter.TOKEN);
            counter.state();

            List<byte[]> valid = validFrames();
            int expectedTotal = 0;
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 500; i++) {
                    mallory.send(B, hostile(valid, random));
                    if (i % 100 == 0) {
                        mallory.send(A, hostile(valid, random)); // the caller side is attacked too
                    }
                }
                counter.actions().increment(round + 1);
                expectedTotal += round + 1;
                sim.network.runFor(Duration.ofMillis(20));
            }
            int total = expectedTotal;
            assertEquals(total, sim.await(counter.actions().total()), "seed " + seed);
            sim.pumpUntil(
                    "A's cache follows",
                    () -> counter.state() != null && counter.state().total() == total);

            RemoteStats stats = b.stats();
            assertTrue(stats.malformedFrames() > 1000, "seed " + seed + ": " + stats);
            assertTrue(stats.callsRefused() > 0, "seed " + seed + ": forged calls are refused: " + stats);
            assertTrue(answers.get() > 0, "seed " + seed + ": the hostile peer got error replies");
            assertTrue(a.isUp(B) && b.isUp(A), "the honest link is intact");
            assertEquals(total, sim.system(1).client(Counter.TOKEN).state().total(), "only A's tells counted");
        }
    }

    /** Valid frames of every kind, aimed at the counter, with ids a real caller might use. */
    private static List<byte[]> validFrames() {
        List<Frame> frames = List.of(
                new Frame.Call(false, 1, "counter", "increment", List.of(new WireValue("int", new byte[] {5}))),
                new Frame.Call(true, 2, "counter", "total", List.of()),
                new Frame.Call(true, 3, "counter", "echo", List.of(new WireValue("note", new byte[] {(byte) 0xA0}))),
                new Frame.Call(true, 4, "counter", "describe", List.of(new WireValue("no.such.Type", new byte[] {1}))),
                new Frame.Call(true, 5, "elsewhere", "total", List.of()),
                Frame.Reply.ok(1, new WireValue("int", new byte[] {9})),
                Frame.Reply.error(2, ReplyStatus.FAILED, "x.Y", "forged"),
                new Frame.Subscribe(6, "counter", true, true, true),
                new Frame.Stopped("counter", true, "x.Y", "forged"),
                new Frame.State("counter", 1_000_000, new WireValue("tally", new byte[] {(byte) 0xA0})),
                new Frame.Event("counter", 7, "announced", new WireValue("string", new byte[] {0x61, 0x61})),
                new Frame.Heartbeat(42));
        List<byte[]> encoded = new ArrayList<>();
        frames.forEach(frame -> encoded.add(FrameCodec.encode(frame)));
        encoded.add(FrameCodec.encode(new Frame.Batch(List.copyOf(encoded))));
        return encoded;
    }

    private static byte[] hostile(List<byte[]> valid, SplittableRandom random) {
        byte[] original = valid.get(random.nextInt(valid.size()));
        byte[] bytes;
        switch (random.nextInt(5)) {
            case 0 -> {
                bytes = original.clone();
                bytes[3 + random.nextInt(bytes.length - 3)] = (byte) random.nextInt(256);
            }
            case 1 -> bytes = Arrays.copyOf(original, random.nextInt(original.length));
            case 2 -> {
                bytes = new byte[1 + random.nextInt(64)];
                random.nextBytes(bytes);
            }
            case 3 -> {
                // A huge declared length right after the header.
                bytes = Arrays.copyOf(original, original.length + 5);
                System.arraycopy(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}, 0, bytes, 3, 5);
            }
            default -> bytes = original.clone(); // valid but forged: refused or ignored
        }
        return bytes;
    }
}
