package dev.ensemble.piano.cli;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportListener;
import dev.ensemble.transport.ws.WebSocketTransport;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the relay of a player who is joining a room, so that the player learns whether it got
 * in: the relay transport keeps reconnecting on its own and only reports trouble to its listener,
 * which is the room's peer messaging. This watch sits between the two: it forwards every event
 * unchanged, except errors reported before the player got in that keep it out (the server is
 * unreachable, it refused the join because the room is full, ...): the first of those ends {@link
 * #awaitInRoom} with a sentence for the user, chosen by the error's reason, which the user then
 * reads once, instead of as a logged warning per attempt. Errors the relay recovers from by
 * itself (a malformed message, a rate limit) are forwarded as they are.
 *
 * <pre>{@code
 * JoinWatch watch = new JoinWatch(relay);
 * PianoRoom room = NetworkPianoRoom.builder(peer, player).transport(watch).join();
 * watch.awaitInRoom(Duration.ofSeconds(10));   // or RoomUnavailableException naming the reason
 * }</pre>
 *
 * <p>Thread-safe: the transport's thread reports, any thread awaits.
 */
final class JoinWatch implements Transport {
    private static final long POLL_MILLIS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(JoinWatch.class);

    private final WebSocketTransport relay;
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private volatile boolean joined;

    JoinWatch(WebSocketTransport relay) {
        this.relay = Objects.requireNonNull(relay, "relay");
    }

    /**
     * Waits until the relay is in its room. A first attempt that fails ends the wait at once: at
     * start-up a refused connection or a refused join means the user gave a wrong address or room,
     * and waiting for the reconnections would only hide it.
     *
     * @param timeout the longest wait
     * @throws RoomUnavailableException naming why the room could not be joined
     * @throws InterruptedException if the calling thread is interrupted
     */
    void awaitInRoom(Duration timeout) throws RoomUnavailableException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitFlag(deadline, timeout);
        joined = true;
    }

    private void awaitFlag(long deadline, Duration timeout) throws RoomUnavailableException, InterruptedException {
        while (!relay.isInRoom()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new RoomUnavailableException("the signaling server did not let this player into the room within "
                        + timeout.toSeconds() + " s");
            }
            // The relay has no "in the room" event: its flag is polled, its errors end the wait at once.
            try {
                String reason = failure.get(
                        Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1), TimeUnit.MILLISECONDS);
                if (!relay.isInRoom()) {
                    throw new RoomUnavailableException(reason);
                }
            } catch (TimeoutException e) {
                // not yet: look at the flag again
            } catch (ExecutionException e) {
                throw new IllegalStateException("the join watch never fails its future", e);
            }
        }
    }

    @Override
    public String name() {
        return relay.name();
    }

    @Override
    public int maxMessageSize() {
        return relay.maxMessageSize();
    }

    @Override
    public void start(TransportListener listener) {
        Objects.requireNonNull(listener, "listener");
        relay.start(new TransportListener() {
            @Override
            public void onPeerConnected(PeerId peer) {
                listener.onPeerConnected(peer);
            }

            @Override
            public void onPeerDisconnected(PeerId peer, String reason) {
                listener.onPeerDisconnected(peer, reason);
            }

            @Override
            public void onMessage(PeerId from, byte[] message) {
                listener.onMessage(from, message);
            }

            @Override
            public void onError(TransportException error) {
                if (!joined && !relay.isInRoom()) {
                    Optional<String> keptOut = keptOut(error);
                    if (keptOut.isPresent()) {
                        LOG.debug("joining through {} failed", relay, error);
                        failure.complete(keptOut.get());
                        return;
                    }
                }
                listener.onError(error);
            }
        });
    }

    /**
     * Reads an error reported before the player got in: what keeps it out of the room and what the
     * user can do about it, or empty for an error the relay recovers from by itself.
     */
    static Optional<String> keptOut(TransportException error) {
        String detail = " (" + error.getMessage() + ")";
        return switch (error.reason()) {
            case CONNECT_FAILED -> Optional.of("the signaling server does not answer" + detail + "; check --server");
            case HANDSHAKE_FAILED, CONNECTION_LOST ->
                Optional.of("the signaling server closed the connection before letting this player in" + detail);
            case UNAUTHORIZED ->
                Optional.of("the signaling server does not let this player in" + detail
                        + "; the room may need a join token, or be closed and need an invite (--invite FILE)");
            case ROOM_FULL -> Optional.of("the room is full" + detail + "; choose another one with --room");
            case TOO_MANY_ROOMS, REPLACED, SERVER_SHUTTING_DOWN, SERVER_ERROR ->
                Optional.of("the signaling server refused" + detail);
            case PEER_UNREACHABLE,
                    PROTOCOL_ERROR,
                    LIBRARY_ERROR,
                    INTERNAL_ERROR,
                    AUTHENTICATION_FAILED,
                    ENCRYPTION_REQUIRED,
                    NOT_A_MEMBER,
                    NOT_IN_ROOM,
                    UNKNOWN_PEER,
                    RATE_LIMITED,
                    TOO_LARGE -> Optional.empty();
        };
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        return relay.send(to, message);
    }

    @Override
    public int queueSize(PeerId peer) {
        return relay.queueSize(peer);
    }

    @Override
    public void close() {
        relay.close();
    }

    @Override
    public String toString() {
        return "JoinWatch[" + relay + "]";
    }
}
