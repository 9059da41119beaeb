package dev.ensemble.transport.webrtc.room;

import dev.ensemble.collab.CollaborationSettings;
import dev.ensemble.collab.peers.PeerEvents;
import dev.ensemble.collab.peers.PeerMessaging;
import dev.ensemble.collab.peers.PeerMessagingActor;
import dev.ensemble.collab.peers.PeerMessagingSettings;
import dev.ensemble.collab.peers.Roster;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.transport.Backoff;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.webrtc.WebRtcConfig;
import dev.ensemble.transport.webrtc.WebRtcTransport;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One peer of a room as an application builds it: the WebSocket relay to the signaling server, a
 * WebRTC transport negotiated over it (preferred), PeerMessaging over both, and a collaboration
 * actor holding a list of lines.
 */
public final class RoomPeer implements AutoCloseable {
    public static final ActorToken<PeerMessaging, Roster> PEERS = PeerMessaging.token("peers");
    public static final ActorToken<NotesActions, Notes> NOTES = ActorToken.of("notes", NotesActions.class, Notes.class);

    private final WebSocketTransport relay;
    private final WebRtcTransport webrtc;
    private final ActorSystem system;
    private final List<PeerEvents.TransportChanged> changes = new CopyOnWriteArrayList<>();

    /**
     * Joins a room.
     *
     * @param server the signaling server
     * @param room the room
     * @param name for thread names and logs
     * @param webrtcConfig the WebRTC settings
     */
    public RoomPeer(URI server, String room, String name, WebRtcConfig webrtcConfig) {
        relay = WebSocketTransport.create(WebSocketTransportConfig.builder(server, room, PeerIdentity.generate())
                .backoff(Backoff.of(Duration.ofMillis(20), Duration.ofMillis(500), 0.5))
                .build());
        webrtc = WebRtcTransport.overRelay(relay, webrtcConfig);
        system = ActorSystem.builder(name)
                .add(
                        PEERS,
                        () -> new PeerMessagingActor(PeerMessagingSettings.builder()
                                .transport(webrtc)
                                .transport(relay)
                                .build()))
                .add(
                        NOTES,
                        () -> new NotesActor(CollaborationSettings.builder("notes", Notes.class, Notes.EMPTY)
                                .peers(PEERS)
                                .resyncInterval(Duration.ofSeconds(1))
                                .build()),
                        PEERS)
                .start();
        system.client(PEERS)
                .withCallbackExecutor(Runnable::run)
                .onEvent(
                        PeerEvents.TRANSPORT_CHANGED,
                        event -> changes.add((PeerEvents.TransportChanged) event.payload()));
    }

    /** Fast re-dials, so that a test sees a broken channel come back within seconds. */
    public static WebRtcConfig fastRedial() {
        return WebRtcConfig.builder()
                .backoff(Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(1), 0.5))
                .build();
    }

    public PeerId id() {
        return relay.self();
    }

    public ActorClient<PeerMessaging, Roster> peers() {
        return system.client(PEERS);
    }

    public ActorClient<NotesActions, Notes> notes() {
        return system.client(NOTES);
    }

    /** The transport PeerMessaging uses for {@code peer} now ("webrtc", "websocket"), or null. */
    public String transportTo(PeerId peer) {
        return system.client(PEERS).state().transports().get(peer);
    }

    /** Every transport change of every peer so far, in order. */
    public List<PeerEvents.TransportChanged> transportChanges() {
        return List.copyOf(changes);
    }

    public WebRtcTransport webrtc() {
        return webrtc;
    }

    @Override
    public void close() {
        system.close();
    }
}
