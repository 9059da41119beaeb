package dev.ensemble.transport.webrtc;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.webrtc.signal.MalformedSignalException;
import dev.ensemble.transport.webrtc.signal.Signal;
import dev.ensemble.transport.webrtc.signal.SignalChannel;
import dev.ensemble.transport.webrtc.signal.SignalCodec;
import dev.ensemble.transport.webrtc.signal.SignalReceiver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An in-memory signaling relay: each endpoint's signals are encoded to JSON text, and decoded
 * and delivered to the addressee on the hub's one thread, as a WebSocket relay would. It can hold
 * all signals back until a condition holds (to force both peers to offer at once), withhold some
 * (to replay them later, as a hostile server would), and it records every signal sent.
 */
final class MemorySignalHub implements AutoCloseable {

    record Sent(PeerId from, PeerId to, String json) {}

    private final ExecutorService relay = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "memory-signal-hub");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<PeerId, SignalReceiver> listeners = new ConcurrentHashMap<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    /** Owned by the relay thread. */
    private final List<Sent> held = new ArrayList<>();
    /** Owned by the relay thread. */
    private Predicate<List<Sent>> holdUntil;
    /** Signals the hub keeps instead of delivering, as a server withholding them would. */
    private final List<Sent> withheld = new CopyOnWriteArrayList<>();
    /** Which signals to withhold; owned by the relay thread. */
    private Predicate<Sent> withhold;
    /** What the hub does to each signal before delivering it: a hostile server's rewrite. */
    private volatile UnaryOperator<Sent> rewrite = UnaryOperator.identity();

    SignalChannel endpoint(PeerId self) {
        return new SignalChannel() {
            @Override
            public void send(PeerId to, Signal signal) {
                Sent message = new Sent(self, to, SignalCodec.toJsonString(signal));
                sent.add(message);
                relay.execute(() -> route(message));
            }

            @Override
            public void register(SignalReceiver listener) {
                listeners.put(self, listener);
            }
        };
    }

    /** Holds every signal back until {@code condition} is true of all signals sent so far. */
    void holdUntil(Predicate<List<Sent>> condition) {
        relay.execute(() -> holdUntil = condition);
    }

    /** Keeps back, undelivered, every signal sent from now on that {@code which} matches ({@code null}: none). */
    void withhold(Predicate<Sent> which) {
        relay.execute(() -> withhold = which);
    }

    /** The signals withheld so far. */
    List<Sent> withheld() {
        return List.copyOf(withheld);
    }

    /** Rewrites every signal delivered from now on, as a hostile signaling server would. */
    void rewrite(UnaryOperator<Sent> rewrite) {
        this.rewrite = rewrite;
    }

    /** Delivers a signal sent earlier once more, as a server replaying it would. */
    void redeliver(Sent earlier) {
        relay.execute(() -> deliver(earlier));
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    long offersFrom(PeerId peer) {
        return sent.stream()
                .filter(s -> s.from().equals(peer) && s.json().contains("\"type\":\"offer\""))
                .count();
    }

    private void route(Sent message) {
        if (withhold != null && withhold.test(message)) {
            withheld.add(message);
            return;
        }
        if (holdUntil != null) {
            held.add(message);
            if (!holdUntil.test(List.copyOf(sent))) {
                return;
            }
            holdUntil = null;
            List<Sent> release = new ArrayList<>(held);
            held.clear();
            release.forEach(this::deliver);
            return;
        }
        deliver(message);
    }

    private void deliver(Sent original) {
        Sent message = rewrite.apply(original);
        SignalReceiver listener = listeners.get(message.to());
        if (listener == null) {
            return;
        }
        try {
            listener.onSignal(message.from(), SignalCodec.fromJson(message.json()));
        } catch (MalformedSignalException e) {
            throw new AssertionError("the codec could not read its own output: " + message.json(), e);
        }
    }

    @Override
    public void close() {
        relay.shutdownNow();
    }
}
