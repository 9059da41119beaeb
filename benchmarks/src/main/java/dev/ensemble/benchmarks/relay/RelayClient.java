package dev.ensemble.benchmarks.relay;

import dev.ensemble.signaling.protocol.ClientMessage;
import dev.ensemble.signaling.protocol.Handshake;
import dev.ensemble.signaling.protocol.MalformedMessageException;
import dev.ensemble.signaling.protocol.RelayFrame;
import dev.ensemble.signaling.protocol.ServerMessage;
import dev.ensemble.signaling.protocol.SignalingCodec;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A peer of the signaling server: answers the challenge with its identity, joins one room and is
 * {@link #ready} once the server says {@code joined}. Every {@code error} the server sends afterwards
 * is counted and kept, so a benchmark can fail instead of silently measuring dropped frames.
 *
 * <p>Threading: as {@link BenchClient}; the handshake runs on the read thread.
 */
final class RelayClient extends BenchClient {

    final PeerIdentity identity;
    final String room;
    final AtomicLong errors = new AtomicLong();
    /** Written by the read thread: the last error the server sent, or null. */
    volatile String lastError;
    /**
     * The other members of {@link #room} the server has told this client of ({@code joined},
     * {@code peer-joined}, {@code peer-left}); written by the read thread.
     */
    private final Set<PeerId> roomMates = ConcurrentHashMap.newKeySet();

    RelayClient(URI uri, PeerIdentity identity, String room) {
        super(uri);
        this.identity = identity;
        this.room = room;
    }

    PeerId peerId() {
        return identity.peerId();
    }

    /** A relay frame from this client to {@code to} in its room with {@code payload}. */
    byte[] frameTo(PeerId to, byte[] payload) {
        return new RelayFrame(room, peerId(), to, payload).encode();
    }

    /**
     * Waits until the server has told this client that every one of {@code mates} is in its room. On a
     * cluster a peer that joined on another node reaches this client's node through Redis a little
     * later; a frame sent to it before then would come back as {@code unknown-peer}.
     *
     * @throws IllegalStateException if they are not all known within {@code timeout}
     */
    void awaitRoomMates(Collection<PeerId> mates, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!roomMates.containsAll(mates)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(peerId() + " in room " + room + " was not told of " + mates.size()
                        + " room mates within " + timeout.toSeconds() + " s; it knows " + roomMates);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        // Ready only after joined.
    }

    @Override
    public void onMessage(String text) {
        ServerMessage message;
        try {
            message = SignalingCodec.decodeServerMessage(text);
        } catch (MalformedMessageException e) {
            fail("the server sent a malformed frame: " + e.getMessage());
            return;
        }
        if (message instanceof ServerMessage.Challenge challenge) {
            send(SignalingCodec.encode(Handshake.hello(identity, challenge.nonce())));
        } else if (message instanceof ServerMessage.Welcome) {
            send(SignalingCodec.encode(new ClientMessage.Join(room, null)));
        } else if (message instanceof ServerMessage.Joined joined) {
            joined.peers().stream().filter(peer -> !peer.equals(peerId())).forEach(roomMates::add);
            ready.complete(null);
        } else if (message instanceof ServerMessage.PeerJoined peerJoined) {
            roomMates.add(peerJoined.peerId());
        } else if (message instanceof ServerMessage.PeerLeft peerLeft) {
            roomMates.remove(peerLeft.peerId());
        } else if (message instanceof ServerMessage.Error error) {
            fail(error.code() + ": " + error.message());
        }
    }

    private void fail(String why) {
        errors.incrementAndGet();
        lastError = why;
        ready.completeExceptionally(new IllegalStateException(peerId() + " in room " + room + ": " + why));
    }
}
