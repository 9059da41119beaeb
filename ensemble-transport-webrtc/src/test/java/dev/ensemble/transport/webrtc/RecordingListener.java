package dev.ensemble.transport.webrtc;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records a transport's events for assertions; thread-safe. */
final class RecordingListener extends TransportListener {

    record Received(PeerId from, byte[] message) {}

    final Set<PeerId> connected = ConcurrentHashMap.newKeySet();
    final AtomicInteger connects = new AtomicInteger();
    final AtomicInteger disconnects = new AtomicInteger();
    final List<String> disconnectReasons = new CopyOnWriteArrayList<>();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<TransportException> errors = new CopyOnWriteArrayList<>();
    /** Set on the first callback; every later callback must come from the same thread. */
    volatile Thread callbackThread;

    volatile boolean overlappingOrForeignThread;

    @Override
    public void onPeerConnected(PeerId peer) {
        checkThread();
        connected.add(peer);
        connects.incrementAndGet();
    }

    @Override
    public void onPeerDisconnected(PeerId peer, String reason) {
        checkThread();
        connected.remove(peer);
        disconnectReasons.add(reason);
        disconnects.incrementAndGet();
    }

    @Override
    public void onMessage(PeerId from, byte[] message) {
        checkThread();
        received.add(new Received(from, message));
    }

    @Override
    public void onError(TransportException error) {
        errors.add(error);
    }

    private void checkThread() {
        Thread now = Thread.currentThread();
        if (callbackThread == null) {
            callbackThread = now;
        } else if (callbackThread != now) {
            overlappingOrForeignThread = true;
        }
    }
}
