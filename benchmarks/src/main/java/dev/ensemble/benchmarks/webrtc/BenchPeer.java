package dev.ensemble.benchmarks.webrtc;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.webrtc.WebRtcConfig;
import dev.ensemble.transport.webrtc.WebRtcTransport;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One peer of a room, built as an application builds it: the WebSocket relay to the signaling
 * server, and a WebRTC transport negotiated over it ({@link WebRtcTransport#overRelay}). Instead of
 * PeerMessaging, each transport gets its own {@link Endpoint}, so that the benchmarks can send over
 * either one to the same remote peer.
 *
 * <pre>{@code
 * BenchPeer a = new BenchPeer(server, "room", "a");
 * BenchPeer b = new BenchPeer(server, "room", "b");
 * a.start();
 * b.start();
 * a.webrtc().awaitConnected(b.id(), timeout);   // the data channel is open
 * a.webrtc().transport().send(b.id(), bytes);
 * }</pre>
 *
 * <p>Threading: create, start and close from one harness thread; the endpoints are thread-safe.
 */
final class BenchPeer implements AutoCloseable {

    private final WebSocketTransport relay;
    private final WebRtcTransport webrtc;
    private final Endpoint overRelay;
    private final Endpoint overWebRtc;

    /**
     * Creates the peer's identity and transports; nothing connects until {@link #start()}.
     *
     * @param server the signaling server
     * @param room the room both peers join
     * @param name for error messages
     */
    BenchPeer(URI server, String room, String name) {
        relay = WebSocketTransport.create(WebSocketTransportConfig.builder(server, room, PeerIdentity.generate())
                .build());
        webrtc = WebRtcTransport.overRelay(relay, WebRtcConfig.defaults());
        overRelay = new Endpoint(relay, name);
        overWebRtc = new Endpoint(webrtc, name);
    }

    /** Starts WebRTC first, then the relay, whose room membership makes WebRTC dial the other peers. */
    void start() {
        webrtc.start(overWebRtc);
        relay.start(overRelay);
    }

    PeerId id() {
        return relay.self();
    }

    Endpoint relay() {
        return overRelay;
    }

    Endpoint webrtc() {
        return overWebRtc;
    }

    /**
     * The endpoint of the transport named {@code name}: {@value WebRtcTransport#NAME} or {@value
     * WebSocketTransport#NAME}.
     */
    Endpoint endpoint(String name) {
        if (name.equals(WebRtcTransport.NAME)) {
            return overWebRtc;
        }
        if (name.equals(WebSocketTransport.NAME)) {
            return overRelay;
        }
        throw new IllegalArgumentException("no transport named '" + name + "' (expected " + WebRtcTransport.NAME
                + " or " + WebSocketTransport.NAME + ")");
    }

    /** What went wrong on either transport while the peer was up. */
    List<String> problems() {
        List<String> all = new ArrayList<>(overWebRtc.problems());
        all.addAll(overRelay.problems());
        return all;
    }

    /** Marks both endpoints as closing: from now on a disconnect is expected. */
    void closing() {
        overWebRtc.closing();
        overRelay.closing();
    }

    /** Closes the data channels and peer connections first, then leaves the room. */
    @Override
    public void close() {
        closing();
        webrtc.close();
        relay.close();
    }
}
