package dev.ensemble.transport.membership;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the layer above a {@link MembershipTransport} sees. */
final class Recorder extends TransportListener {
    final Set<PeerId> connected = ConcurrentHashMap.newKeySet();
    final List<String> disconnects = new CopyOnWriteArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<TransportException> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onPeerConnected(PeerId peer) {
        connected.add(peer);
    }

    @Override
    public void onPeerDisconnected(PeerId peer, String reason) {
        connected.remove(peer);
        disconnects.add(peer + ": " + reason);
    }

    @Override
    public void onMessage(PeerId from, byte[] message) {
        messages.add(from + ": " + new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public void onError(TransportException error) {
        errors.add(error);
    }

    static byte[] data(String text) {
        // Starts like an envelope (version 0x01), as everything from the layer above does.
        return ("\u0001" + text).getBytes(StandardCharsets.UTF_8);
    }

    static String text(PeerId from, String text) {
        return from + ": \u0001" + text;
    }
}
