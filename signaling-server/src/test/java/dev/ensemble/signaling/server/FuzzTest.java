package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.Handshake;
import dev.ensemble.signaling.protocol.MalformedMessageException;
import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.signaling.protocol.SignalingCodec;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.membership.Revocation;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Throws random and mutated frames at a live server while a healthy pair of clients in the same room
 * keeps exchanging signals and relay frames: the pair must lose nothing, see nothing out of order, and
 * stay connected; the server must keep serving.
 */
class FuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("signaling.fuzz.seed", System.nanoTime());
    private static final int FRAMES_PER_VERIFIED_FUZZER = 5_000;
    private static final int VERIFIED_FUZZERS = 2;
    /** Each of these gets a fresh connection, since any bad frame before the handshake closes it. */
    private static final int UNVERIFIED_FRAMES = 300;

    private static final int MIN_HEALTHY_ROUNDS = 300;
    private static final String ROOM = "fuzz-room";

    private final ServerFixture fixture = new ServerFixture();

    @AfterEach
    void tearDown() throws InterruptedException {
        fixture.close();
    }

    @Test
    void keepsAHealthyPairWholeWhileFuzzFramesArrive() throws Exception {
        System.out.println("fuzz seed " + SEED + " (rerun with -Dsignaling.fuzz.seed=" + SEED + ")");
        SignalingServer server = fixture.start(b -> b.maxFrameBytes(8192)
                .controlRate(new RateLimit(20_000, 20_000))
                .signalRate(new RateLimit(20_000, 20_000))
                .relayRate(new RateLimit(20_000, 20_000)));
        TestClient alice = fixture.verified(server);
        TestClient bob = fixture.verified(server);
        alice.join(ROOM);
        bob.join(ROOM);
        alice.expect(ServerMessage.PeerJoined.class);
        List<PeerId> targets = List.of(alice.identity.peerId(), bob.identity.peerId());

        AtomicInteger framesSent = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(VERIFIED_FUZZERS + 1);
        List<Future<?>> fuzzers = new ArrayList<>();
        for (int i = 0; i < VERIFIED_FUZZERS; i++) {
            Random random = new Random(SEED + i);
            fuzzers.add(pool.submit(() -> {
                verifiedFuzzer(server.uri(), random, targets, framesSent);
                return null;
            }));
        }
        Random unverifiedRandom = new Random(SEED - 1);
        fuzzers.add(pool.submit(() -> {
            unverifiedFuzzer(server.uri(), unverifiedRandom, targets, framesSent);
            return null;
        }));
        pool.shutdown();

        int rounds = 0;
        while (rounds < MIN_HEALTHY_ROUNDS || !pool.isTerminated()) {
            exchange(alice, bob, rounds);
            exchange(bob, alice, rounds);
            rounds++;
        }
        for (Future<?> fuzzer : fuzzers) {
            fuzzer.get(1, TimeUnit.SECONDS);
        }
        System.out.println("fuzz: " + framesSent.get() + " hostile frames; healthy pair completed " + rounds
                + " round trips (" + rounds * 2 + " messages) without loss");
        assertTrue(framesSent.get() >= 10_000, "only " + framesSent.get() + " fuzz frames were sent");
        alice.assertOpen();
        bob.assertOpen();
        TestClient late = fixture.verified(server);
        assertTrue(late.join(ROOM).peers().containsAll(targets), "a late joiner sees the healthy pair");
        String metrics = ServerFixture.http(server, "/metrics");
        assertTrue(metrics.contains("ensemble_signaling_errors_total{code=\"bad-request\"}"), metrics);
    }

    /**
     * Sends message {@code round} from {@code from} to {@code to} (a signal on even rounds, a relay frame on
     * odd ones) and checks that the next message {@code to} receives from {@code from} is exactly it;
     * frames from fuzzers are skipped, errors addressed to the healthy pair fail the test.
     */
    private static void exchange(TestClient from, TestClient to, int round) throws Exception {
        PeerId sender = from.identity.peerId();
        PeerId receiver = to.identity.peerId();
        if (round % 2 == 0) {
            from.send(new ClientMessage.Signal(
                    ROOM, receiver, JSON.createObjectNode().put("round", round)));
        } else {
            from.sendBinary(new RelayFrame(
                            ROOM,
                            sender,
                            receiver,
                            ByteBuffer.allocate(4).putInt(round).array())
                    .encode());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Object frame = to.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (frame instanceof ServerMessage.Error error) {
                throw new AssertionError("healthy peer " + receiver + " got an error: " + error);
            }
            if (frame instanceof ServerMessage.RelayedSignal signal
                    && signal.from().equals(sender)) {
                assertEquals(round, signal.data().path("round").asInt(-1), "signal out of order or lost");
                assertEquals(0, round % 2, "expected a relay frame in round " + round);
                return;
            }
            if (frame instanceof byte[] bytes) {
                RelayFrame relayed = RelayFrame.decode(ByteBuffer.wrap(bytes));
                if (relayed.from().equals(sender)) {
                    assertEquals(
                            round, ByteBuffer.wrap(relayed.payload()).getInt(), "relay frame out of order or lost");
                    return;
                }
            }
        }
    }

    private static void verifiedFuzzer(URI uri, Random random, List<PeerId> targets, AtomicInteger framesSent)
            throws Exception {
        PeerIdentity identity = PeerIdentity.generate();
        TestClient client = null;
        for (int i = 0; i < FRAMES_PER_VERIFIED_FUZZER; i++) {
            if (client == null || !client.isOpen()) {
                if (client != null) {
                    client.close();
                }
                client = TestClient.verified(uri, identity);
                client.onReceive(frame -> {});
                if (random.nextInt(4) != 0) {
                    client.send(new ClientMessage.Join(ROOM, null));
                }
            }
            sendFuzz(client, random, identity, targets, true);
            framesSent.incrementAndGet();
        }
        client.close();
    }

    private static void unverifiedFuzzer(URI uri, Random random, List<PeerId> targets, AtomicInteger framesSent)
            throws Exception {
        for (int i = 0; i < UNVERIFIED_FRAMES; i++) {
            TestClient client = TestClient.connect(uri);
            sendFuzz(client, random, client.identity, targets, false);
            framesSent.incrementAndGet();
            Object reply = client.next(Duration.ofSeconds(10));
            if (reply instanceof ServerMessage.Welcome) {
                client.close();
                continue;
            }
            assertTrue(
                    reply instanceof ServerMessage.Error,
                    () -> "expected an error before the handshake but got " + reply);
            client.awaitClosed();
        }
    }

    private static void sendFuzz(
            TestClient client, Random random, PeerIdentity identity, List<PeerId> targets, boolean verified)
            throws MalformedMessageException {
        PeerId target = targets.get(random.nextInt(targets.size()));
        switch (random.nextInt(verified ? 7 : 5)) {
            case 0 -> client.sendBinary(randomBytes(random, random.nextInt(200)));
            case 1 -> client.sendText(randomText(random, random.nextInt(200)));
            case 2 -> client.sendText(mutate(random, validMessage(random, identity, target, client.nonce)));
            case 3 ->
                client.sendBinary(mutate(
                        random,
                        new RelayFrame(ROOM, identity.peerId(), target, randomBytes(random, random.nextInt(64)))
                                .encode()));
            case 4 -> client.sendText(validMessage(random, identity, target, client.nonce));
            case 5 ->
                client.sendBinary(new RelayFrame(
                                random.nextBoolean() ? ROOM : "elsewhere",
                                identity.peerId(),
                                random.nextBoolean()
                                        ? target
                                        : PeerIdentity.generate().peerId(),
                                randomBytes(random, 20))
                        .encode());
            default -> client.sendBinary(randomBytes(random, 8192 + 1 + random.nextInt(1000)));
        }
    }

    private static String validMessage(Random random, PeerIdentity identity, PeerId target, String nonce) {
        ClientMessage message = switch (random.nextInt(6)) {
            case 0 -> Handshake.hello(identity, nonce == null ? "x" : nonce);
            case 1 -> new ClientMessage.Join(random.nextBoolean() ? ROOM : "r" + random.nextInt(40), null);
            case 2 -> new ClientMessage.Leave(random.nextBoolean() ? ROOM : "r" + random.nextInt(40));
            case 3 ->
                new ClientMessage.Revoke(
                        random.nextBoolean() ? ROOM : "r" + random.nextInt(40),
                        Revocation.ofMember(identity, ROOM, target, java.time.Instant.now())
                                .toText());
            default ->
                new ClientMessage.Signal(
                        ROOM,
                        target,
                        JSON.createObjectNode()
                                .put("sdp", randomText(random, 30))
                                .put("n", random.nextInt()));
        };
        return SignalingCodec.encode(message);
    }

    private static String mutate(Random random, String text) {
        return new String(mutate(random, text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    private static byte[] mutate(Random random, byte[] input) {
        byte[] bytes = input.clone();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && bytes.length > 0; m++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(5)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes = java.util.Arrays.copyOf(bytes, at);
                case 2 -> {
                    byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = (byte) "{}[]\":,\\0-e".charAt(random.nextInt(11));
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                }
                case 3 -> {
                    byte[] shorter = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                    bytes = shorter;
                }
                default -> bytes[at] ^= (byte) (1 << random.nextInt(8));
            }
        }
        return bytes;
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(random.nextInt(10) == 0 ? (char) random.nextInt(0xD7FF) : (char) (32 + random.nextInt(95)));
        }
        return text.toString();
    }
}
