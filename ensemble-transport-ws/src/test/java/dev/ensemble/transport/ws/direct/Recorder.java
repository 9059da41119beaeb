package dev.ensemble.transport.ws.direct;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a transport reports, for tests to wait on. */
class Recorder extends TransportListener {
    final Set<PeerId> connected = ConcurrentHashMap.newKeySet();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<TransportException> errors = new CopyOnWriteArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void onPeerConnected(PeerId peer) {
        connected.add(peer);
        events.add("connected " + peer.shortForm());
    }

    @Override
    public void onPeerDisconnected(PeerId peer, String reason) {
        connected.remove(peer);
        events.add("disconnected " + peer.shortForm() + ": " + reason);
    }

    @Override
    public void onMessage(PeerId from, byte[] message) {
        messages.add(new String(message, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void onError(TransportException error) {
        errors.add(error);
    }

    boolean hasError(TransportException.Reason reason, String part) {
        return errors.stream()
                .anyMatch(e -> e.reason() == reason && e.getMessage().contains(part));
    }

    @Override
    public String toString() {
        return "events " + events + ", errors " + errors + ", messages " + messages.size();
    }
}
