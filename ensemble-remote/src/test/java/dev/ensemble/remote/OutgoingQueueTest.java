package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.remote.RemoteCallException.Reason;
import dev.ensemble.testkit.Await;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Memory stays bounded when a connected node stops taking frames. */
class OutgoingQueueTest {
    private static final PeerId B = SimNodes.id("node-b");

    /** A transport whose peer is connected but whose network takes nothing until released. */
    private static final class StalledTransport implements Transport {
        volatile TransportListener listener;
        final AtomicBoolean flowing = new AtomicBoolean();
        volatile int sent;

        @Override
        public String name() {
            return "stalled";
        }

        @Override
        public int maxMessageSize() {
            return 64 * 1024;
        }

        @Override
        public void start(TransportListener listener) {
            this.listener = listener;
        }

        @Override
        public boolean send(PeerId to, byte[] message) {
            if (flowing.get()) {
                sent++;
                return true;
            }
            return false;
        }

        @Override
        public int queueSize(PeerId peer) {
            return 0;
        }

        @Override
        public void close() {}
    }

    @Test
    void aFullQueueFailsTellsAndAsksFastAndDrainsWhenTheNetworkTakesFramesAgain() {
        StalledTransport transport = new StalledTransport();
        try (ActorSystem system = ActorSystem.builder("caller").start();
                RemoteActors remote = RemoteActors.builder(system, transport)
                        .maxQueuedFrames(8)
                        .heartbeatInterval(Duration.ZERO)
                        .start()) {
            transport.listener.onPeerConnected(B); // queues one heartbeat
            ActorClient<CounterActions, Tally> counter = remote.client(B, Counter.TOKEN);
            int queued = 0;
            while (true) {
                try {
                    counter.actions().increment(1);
                    queued++;
                } catch (RemoteCallException e) {
                    assertEquals(Reason.QUEUE_FULL, e.reason());
                    assertTrue(e.getMessage().endsWith("is full (8 frames waiting)"), e.getMessage());
                    break;
                }
                assertTrue(queued <= 8, "the queue is bounded");
            }
            assertEquals(7, queued, "eight frames: the heartbeat and seven tells");
            CompletableFuture<Integer> ask = counter.actions().total();
            CompletionException failed = assertThrows(CompletionException.class, ask::join);
            assertEquals(
                    Reason.QUEUE_FULL,
                    assertInstanceOf(RemoteCallException.class, failed.getCause())
                            .reason());
            assertEquals(2, remote.stats().queueFull());

            transport.flowing.set(true);
            Await.until(
                    "the queue drains into the network", () -> remote.stats().framesSent() == 8);
            assertEquals(1, transport.sent, "the eight waiting frames went as one batch");
            counter.actions().increment(1);
            Await.until("new calls go out again", () -> remote.stats().framesSent() == 9);
        }
    }
}
