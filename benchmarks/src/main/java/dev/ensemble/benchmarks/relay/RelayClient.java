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
import java.util.concurrent.atomic.AtomicLong;
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
        } else if (message instanceof ServerMessage.Joined) {
            ready.complete(null);
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
