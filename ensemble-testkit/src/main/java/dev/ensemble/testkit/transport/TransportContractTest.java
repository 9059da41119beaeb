package dev.ensemble.testkit.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Transport} must have, as JUnit tests: connect events once per peer,
 * messages intact, in order and up to the limit, sends that return {@code false} rather than
 * throw, no callback after {@code close()}, a peer that comes back reported again. Each
 * implementation runs it through a subclass that says how to create a transport for a peer on a
 * shared network and how to let that network make progress: the in-memory simulator steps
 * virtual time, a socket transport waits with a deadline.
 *
 * <pre>{@code
 * class WebSocketTransportContractTest extends TransportContractTest {
 *     private TestServer server;                      // one server, one room per test
 *
 *     @BeforeEach void startServer() { server = new TestServer(); }
 *     @AfterEach void stopServer() { server.close(); }
 *
 *     @Override protected Transport createTransport(PeerId peer) {
 *         return server.transport("contract", TestPeers.identityOf(peer));
 *     }
 *     @Override protected void awaitCondition(String what, BooleanSupplier condition) {
 *         Await.until(what, condition);
 *     }
 *     @Override protected void settle() { ... a round trip through the server ... }
 * }
 * }</pre>
 *
 * <p>Threading: the tests run on JUnit's thread; they read the transports' events through {@link
 * RecordingListener}s. Transports created through {@link #transport(PeerId)} are closed after each
 * test, after the subclass's own {@code @AfterEach} methods.
 */
public abstract class TransportContractTest {

    /** The peers of the contract's tests; NOBODY never starts a transport. */
    protected static final PeerId ALICE = TestPeers.id("contract-alice");

    protected static final PeerId BOB = TestPeers.id("contract-bob");
    protected static final PeerId NOBODY = TestPeers.id("contract-nobody");

    private final List<Transport> created = new ArrayList<>();

    /**
     * Creates a transport for a peer; all transports of one test reach each other.
     *
     * @param peer the peer's identity
     * @return a transport, not yet started
     */
    protected abstract Transport createTransport(PeerId peer) throws Exception;

    /**
     * Lets the network make progress until {@code condition} holds; fails the test, naming {@code
     * what}, if it does not within the implementation's deadline.
     */
    protected abstract void awaitCondition(String what, BooleanSupplier condition) throws Exception;

    /**
     * Lets the network deliver everything that is in flight, so that a test can assert that
     * something did not happen.
     */
    protected abstract void settle() throws Exception;

    /**
     * Creates a transport for a peer and closes it after the test.
     *
     * @param peer the peer's identity
     * @return a transport, not yet started
     */
    protected final Transport transport(PeerId peer) throws Exception {
        Transport transport = createTransport(peer);
        created.add(transport);
        return transport;
    }

    @AfterEach
    void closeTransports() {
        created.forEach(Transport::close);
    }

    /** Starts transports for Alice and Bob and waits until each sees the other. */
    protected final Pair connectedPair() throws Exception {
        Pair pair = new Pair(transport(ALICE), new RecordingListener(), transport(BOB), new RecordingListener());
        pair.alice.start(pair.aliceEvents);
        pair.bob.start(pair.bobEvents);
        awaitCondition(
                "Alice and Bob see each other connected",
                () -> pair.aliceEvents.isConnectedTo(BOB) && pair.bobEvents.isConnectedTo(ALICE));
        return pair;
    }

    /**
     * Two started transports and their recorded events.
     *
     * @param alice Alice's transport
     * @param aliceEvents what Alice's transport reported
     * @param bob Bob's transport
     * @param bobEvents what Bob's transport reported
     */
    protected record Pair(Transport alice, RecordingListener aliceEvents, Transport bob, RecordingListener bobEvents) {}

    @Test
    void hasANameAndAPositiveMessageLimit() throws Exception {
        Transport transport = transport(ALICE);
        assertFalse(transport.name().isBlank());
        assertTrue(transport.maxMessageSize() > 0);
    }

    @Test
    void reportsEachStartedPeerConnectedToTheOtherOnce() throws Exception {
        Pair pair = connectedPair();
        settle();
        assertEquals(List.of(BOB), pair.aliceEvents.connectEvents());
        assertEquals(List.of(ALICE), pair.bobEvents.connectEvents());
    }

    @Test
    void deliversAMessageIntactWithItsSender() throws Exception {
        Pair pair = connectedPair();
        byte[] message = {0, 1, 2, (byte) 0xFF, 42};
        assertTrue(pair.alice.send(BOB, message));
        awaitCondition(
                "Bob receives the message", () -> pair.bobEvents.messages().size() == 1);
        RecordingListener.Received received = pair.bobEvents.messages().get(0);
        assertEquals(ALICE, received.from());
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xFF, 42}, received.message());
    }

    @Test
    void deliversMessagesToAPeerInTheOrderTheyWereSent() throws Exception {
        Pair pair = connectedPair();
        int count = 200;
        for (int i = 0; i < count; i++) {
            assertTrue(pair.alice.send(BOB, ByteBuffer.allocate(4).putInt(i).array()));
        }
        awaitCondition(
                "Bob receives " + count + " messages",
                () -> pair.bobEvents.messages().size() == count);
        List<RecordingListener.Received> messages = pair.bobEvents.messages();
        for (int i = 0; i < count; i++) {
            assertEquals(i, ByteBuffer.wrap(messages.get(i).message()).getInt());
        }
    }

    @Test
    void deliversAMessageOfExactlyTheLimit() throws Exception {
        Pair pair = connectedPair();
        byte[] message = new byte[pair.alice.maxMessageSize()];
        message[message.length - 1] = 7;
        assertTrue(pair.alice.send(BOB, message));
        awaitCondition(
                "Bob receives the message", () -> pair.bobEvents.messages().size() == 1);
        assertArrayEquals(message, pair.bobEvents.messages().get(0).message());
    }

    @Test
    void rejectsAMessageLargerThanTheLimitWithoutSendingIt() throws Exception {
        Pair pair = connectedPair();
        assertFalse(
                pair.alice.send(BOB, new byte[pair.alice.maxMessageSize() + 1]),
                "a message above maxMessageSize() must be rejected: the chunking layer should have"
                        + " split it, and a WebRTC channel would close on it");
        assertTrue(pair.alice.send(BOB, new byte[] {1}));
        awaitCondition(
                "Bob receives the small message",
                () -> pair.bobEvents.messages().size() == 1);
        settle();
        assertEquals(1, pair.bobEvents.messages().size());
        assertArrayEquals(new byte[] {1}, pair.bobEvents.messages().get(0).message());
    }

    @Test
    void sendToAPeerThatIsNotConnectedReturnsFalse() throws Exception {
        Pair pair = connectedPair();
        assertFalse(pair.alice.send(NOBODY, new byte[] {1}));
        assertEquals(0, pair.alice.queueSize(NOBODY));
    }

    @Test
    void sendBeforeStartReturnsFalse() throws Exception {
        Transport alice = transport(ALICE);
        assertFalse(alice.send(BOB, new byte[] {1}));
    }

    @Test
    void startingTwiceIsRejected() throws Exception {
        Transport alice = transport(ALICE);
        alice.start(TransportListener.NONE);
        assertThrows(IllegalStateException.class, () -> alice.start(TransportListener.NONE));
    }

    @Test
    void closeStopsCallbacksAndDisconnectsThePeer() throws Exception {
        Pair pair = connectedPair();
        assertTrue(pair.alice.send(BOB, new byte[] {1, 2, 3}));
        pair.bob.close();
        pair.bobEvents.markClosed();
        awaitCondition("Alice sees Bob disconnect", () -> !pair.aliceEvents.isConnectedTo(BOB));
        assertFalse(pair.alice.send(BOB, new byte[] {4}));
        settle();
        assertEquals(0, pair.bobEvents.callbacksAfterClose(), "no callback may arrive after close() returned");
        assertEquals(BOB, pair.aliceEvents.disconnects().get(0).peer());
    }

    @Test
    void sendAfterCloseReturnsFalseAndCloseIsIdempotent() throws Exception {
        Pair pair = connectedPair();
        pair.alice.close();
        pair.alice.close();
        assertFalse(pair.alice.send(BOB, new byte[] {1}));
        assertEquals(0, pair.alice.queueSize(BOB));
    }

    @Test
    void aPeerThatComesBackIsReportedAgainWithTheSameId() throws Exception {
        Pair pair = connectedPair();
        pair.bob.close();
        awaitCondition("Alice sees Bob disconnect", () -> !pair.aliceEvents.isConnectedTo(BOB));
        Transport bobAgain = transport(BOB);
        RecordingListener bobAgainEvents = new RecordingListener();
        bobAgain.start(bobAgainEvents);
        awaitCondition(
                "Alice sees Bob connect again",
                () -> pair.aliceEvents.isConnectedTo(BOB) && bobAgainEvents.isConnectedTo(ALICE));
        assertEquals(List.of(BOB, BOB), pair.aliceEvents.connectEvents());
        assertTrue(pair.alice.send(BOB, new byte[] {9}));
        awaitCondition("the new Bob receives", () -> bobAgainEvents.messages().size() == 1);
    }

    @Test
    void aListenerMayReplyFromInsideItsCallback() throws Exception {
        Transport alice = transport(ALICE);
        Transport bob = transport(BOB);
        RecordingListener aliceEvents = new RecordingListener();
        alice.start(aliceEvents);
        bob.start(new TransportListener() {
            @Override
            public void onMessage(PeerId from, byte[] message) {
                bob.send(from, message);
            }
        });
        awaitCondition("Alice sees Bob", () -> aliceEvents.isConnectedTo(BOB));
        assertTrue(alice.send(BOB, new byte[] {5}));
        awaitCondition("Alice receives the echo", () -> aliceEvents.messages().size() == 1);
        assertArrayEquals(new byte[] {5}, aliceEvents.messages().get(0).message());
    }
}
