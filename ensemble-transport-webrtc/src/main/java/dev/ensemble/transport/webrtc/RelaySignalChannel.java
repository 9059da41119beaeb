package dev.ensemble.transport.webrtc;

import dev.ensemble.transport.IceServer;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.webrtc.signal.MalformedSignalException;
import dev.ensemble.transport.webrtc.signal.Signal;
import dev.ensemble.transport.webrtc.signal.SignalChannel;
import dev.ensemble.transport.webrtc.signal.SignalCodec;
import dev.ensemble.transport.webrtc.signal.SignalReceiver;
import dev.ensemble.transport.ws.SignalListener;
import dev.ensemble.transport.ws.WebSocketTransport;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals through the signaling server, over the WebSocket transport of the same room, and the
 * room's membership driving the WebRTC transport: a member that joins is dialled, one that leaves
 * is hung up on, and every {@code welcome}'s ICE servers are handed over.
 *
 * <p>Threading: the relay calls {@link Bridge} on its own thread; {@link #register} runs on the
 * thread that starts the WebRTC transport. Members announced before that are kept and dialled
 * when it starts. {@code receiver} and {@code early} are guarded by {@code this}; {@code webrtc}
 * is set once in {@link #attach}, before the bridge is handed to the relay (whose volatile
 * listener field publishes it).
 */
final class RelaySignalChannel implements SignalChannel {
    private static final Logger LOG = LoggerFactory.getLogger(RelaySignalChannel.class);

    private final WebSocketTransport relay;
    private WebRtcTransport webrtc;
    private SignalReceiver receiver;
    /** Members announced before the WebRTC transport started, in order. */
    private final Set<PeerId> early = new LinkedHashSet<>();

    RelaySignalChannel(WebSocketTransport relay) {
        this.relay = relay;
    }

    /** Binds the transport this channel drives and starts listening to the relay. Call once. */
    void attach(WebRtcTransport transport) {
        synchronized (this) {
            this.webrtc = transport;
        }
        relay.signalListener(new Bridge());
    }

    @Override
    public void send(PeerId to, Signal signal) {
        if (!relay.sendSignal(to, SignalCodec.toJsonString(signal))) {
            LOG.debug("signal for {} not sent: the relay is not in the room with it now", to);
        }
    }

    @Override
    public void register(SignalReceiver signals) {
        List<PeerId> toDial;
        synchronized (this) {
            this.receiver = signals;
            toDial = List.copyOf(early);
            early.clear();
        }
        // The transport is started by now (it registers from start()), so connect() is allowed.
        toDial.forEach(this::dial);
    }

    private void dial(PeerId peer) {
        try {
            webrtc.connect(peer);
        } catch (IllegalStateException closed) {
            LOG.debug("not dialling {}: the WebRTC transport is closed", peer);
        }
    }

    /** What the relay tells: runs on the relay's thread, in the order the server said it. */
    private final class Bridge extends SignalListener {

        @Override
        public void onSignal(PeerId from, String data) {
            SignalReceiver target;
            synchronized (RelaySignalChannel.this) {
                target = receiver;
            }
            if (target == null) {
                return;
            }
            Signal signal;
            try {
                signal = SignalCodec.fromJson(data);
            } catch (MalformedSignalException e) {
                LOG.warn("dropped a malformed WebRTC signal from {}: {}", from, e.getMessage());
                return;
            }
            target.onSignal(from, signal);
        }

        @Override
        public void onIceServers(List<IceServer> servers) {
            webrtc.useServerIceServers(servers);
        }

        @Override
        public void onPeerJoined(PeerId peer) {
            synchronized (RelaySignalChannel.this) {
                if (receiver == null) {
                    early.add(peer);
                    return;
                }
            }
            dial(peer);
        }

        @Override
        public void onPeerLeft(PeerId peer, String reason) {
            synchronized (RelaySignalChannel.this) {
                if (early.remove(peer)) {
                    return;
                }
            }
            webrtc.disconnect(peer);
        }
    }
}
