package dev.ensemble.transport.membership;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportListener;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory network run on the test's thread, like Netty's EmbeddedChannel: {@code send} only
 * queues, {@link #drain()} delivers until nothing is left. Every endpoint sees every other one connected
 * once both are started, as a relay's room would; {@link #inject} hands a peer a frame claiming to come
 * from another, as a server relaying a stranger's bytes would.
 */
final class Net {

    private final Map<PeerId, Endpoint> endpoints = new HashMap<>();
    private final Queue<Runnable> pending = new ArrayDeque<>();

    Endpoint endpoint(PeerId id) {
        Endpoint endpoint = new Endpoint(id);
        endpoints.put(id, endpoint);
        return endpoint;
    }

    Endpoint get(PeerId id) {
        return endpoints.get(id);
    }

    void inject(PeerId from, PeerId to, byte[] frame) {
        pending.add(() -> endpoints.get(to).listener.onMessage(from, frame));
    }

    void drain() {
        for (int i = 0; i < 100_000 && !pending.isEmpty(); i++) {
            pending.poll().run();
        }
        if (!pending.isEmpty()) {
            throw new AssertionError("the network did not go quiet in 100000 deliveries");
        }
    }

    /** One peer's transport on this network. */
    final class Endpoint implements Transport {
        final PeerId id;
        final Set<PeerId> connected = new HashSet<>();
        final List<byte[]> sent = new CopyOnWriteArrayList<>();
        TransportListener listener;

        Endpoint(PeerId id) {
            this.id = id;
        }

        @Override
        public String name() {
            return "memory";
        }

        @Override
        public int maxMessageSize() {
            return 65536;
        }

        @Override
        public void start(TransportListener listener) {
            this.listener = listener;
            for (Endpoint other : endpoints.values()) {
                if (other != this && other.listener != null) {
                    pending.add(() -> connect(other));
                }
            }
        }

        private void connect(Endpoint other) {
            connected.add(other.id);
            other.connected.add(id);
            other.listener.onPeerConnected(id);
            listener.onPeerConnected(other.id);
        }

        void disconnect(PeerId other) {
            Endpoint that = endpoints.get(other);
            connected.remove(other);
            that.connected.remove(id);
            pending.add(() -> listener.onPeerDisconnected(other, "test"));
            pending.add(() -> that.listener.onPeerDisconnected(id, "test"));
        }

        @Override
        public boolean send(PeerId to, byte[] message) {
            if (!connected.contains(to)) {
                return false;
            }
            sent.add(message);
            Endpoint target = endpoints.get(to);
            pending.add(() -> {
                if (target.connected.contains(id)) {
                    target.listener.onMessage(id, message);
                }
            });
            return true;
        }

        @Override
        public int queueSize(PeerId peer) {
            return 0;
        }

        @Override
        public void close() {}
    }
}
