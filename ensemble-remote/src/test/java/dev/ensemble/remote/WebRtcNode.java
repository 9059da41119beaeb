package dev.ensemble.remote;

import dev.ensemble.core.ActorSystem;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportListener;
import dev.ensemble.transport.webrtc.WebRtcConfig;
import dev.ensemble.transport.webrtc.WebRtcTransport;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.net.URI;
import java.util.function.UnaryOperator;

/**
 * A node whose {@link RemoteActors} talk over WebRTC data channels, for the tests that run inside
 * netns-run: the WebSocket relay to a signaling server carries only the room and the WebRTC signals
 * (its own data listener ignores everything), and WebRTC carries every remote frame.
 */
final class WebRtcNode implements AutoCloseable {
    final PeerId id;
    final RemoteActors remote;
    private final WebSocketTransport relay;

    private WebRtcNode(PeerId id, RemoteActors remote, WebSocketTransport relay) {
        this.id = id;
        this.remote = remote;
        this.relay = relay;
    }

    /**
     * Joins {@code room} and starts the node over WebRTC.
     *
     * @param settings what the test sets on the node beyond the test types
     */
    static WebRtcNode start(ActorSystem system, URI server, String room, UnaryOperator<RemoteActors.Builder> settings) {
        PeerIdentity identity = PeerIdentity.generate();
        WebSocketTransport relay = WebSocketTransport.create(
                WebSocketTransportConfig.builder(server, room, identity).build());
        // Created before the relay starts, so that no member of the room is missed.
        WebRtcTransport webrtc = WebRtcTransport.overRelay(relay, WebRtcConfig.defaults());
        RemoteActors remote = settings.apply(
                        RemoteActors.builder(system, webrtc).types(SimNodes.TYPES))
                .start();
        relay.start(TransportListener.NONE);
        return new WebRtcNode(identity.peerId(), remote, relay);
    }

    /** Closes the node (and its WebRTC transport), then leaves the room. */
    @Override
    public void close() {
        remote.close();
        relay.close();
    }
}
