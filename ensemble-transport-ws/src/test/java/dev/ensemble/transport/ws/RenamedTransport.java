package dev.ensemble.transport.ws;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportListener;
import java.util.Map;

/**
 * Shows a transport's peers under other names. The collab contract test names its peers with
 * fixed ids that are not real did:keys, while the WebSocket transport reports the did:key of each
 * identity; this adapter translates both ways and changes nothing else.
 */
final class RenamedTransport implements Transport {
    private final Transport delegate;
    private final Map<PeerId, PeerId> realByShown;
    private final Map<PeerId, PeerId> shownByReal;

    RenamedTransport(Transport delegate, Map<PeerId, PeerId> realByShown, Map<PeerId, PeerId> shownByReal) {
        this.delegate = delegate;
        this.realByShown = realByShown;
        this.shownByReal = shownByReal;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public int maxMessageSize() {
        return delegate.maxMessageSize();
    }

    @Override
    public void start(TransportListener listener) {
        delegate.start(new TransportListener() {
            @Override
            public void onPeerConnected(PeerId peer) {
                listener.onPeerConnected(shown(peer));
            }

            @Override
            public void onPeerDisconnected(PeerId peer, String reason) {
                listener.onPeerDisconnected(shown(peer), reason);
            }

            @Override
            public void onMessage(PeerId from, byte[] message) {
                listener.onMessage(shown(from), message);
            }

            @Override
            public void onError(TransportException error) {
                listener.onError(error);
            }
        });
    }

    private PeerId shown(PeerId real) {
        return shownByReal.getOrDefault(real, real);
    }

    private PeerId real(PeerId shown) {
        return realByShown.getOrDefault(shown, shown);
    }

    @Override
    public boolean send(PeerId to, byte[] message) {
        return delegate.send(real(to), message);
    }

    @Override
    public int queueSize(PeerId peer) {
        return delegate.queueSize(real(peer));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
