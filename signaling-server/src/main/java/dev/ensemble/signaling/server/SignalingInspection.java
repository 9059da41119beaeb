package dev.ensemble.signaling.server;

import dev.ensemble.core.inspect.InspectableNamespace;
import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.core.inspect.InspectionServer;
import dev.ensemble.core.inspect.Inspector;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The server's rooms and connections as a read-only namespace of the inspection protocol
 * (docs/SHELL.md), served on a local socket when the server runs with {@code --inspect}:
 *
 * <pre>
 * /rooms/ROOM          summary "3 peers, open"; state: the room, closed, each peer (did:key, connection,
 *                      connectedSince, joinedAt, framesRelayed, bytesRelayed), members on other nodes
 * /connections/ID      summary "did:key:... from /10.0.0.7:51234, 2 rooms"; state: id, remoteAddress,
 *                      identity, rooms, since, closing
 * </pre>
 *
 * A room name that is not one path segment is shown percent-encoded ({@code /} as {@code %2F}, {@code %}
 * as {@code %25}, the names {@code .} and {@code ..} as {@code %2E} and {@code %2E%2E}); its state keeps
 * the real name. Nothing secret is shown: no nonce, join token, invite or its proof.
 *
 * <h2>Threading</h2>
 * The namespace's methods run on inspection sessions' threads. They never touch the room thread's data:
 * each asks the room thread for a copy ({@link Hub#snapshot()}), a short task queued behind the server's
 * own work, and waits for it on the session's thread, at most {@link #SNAPSHOT_TIMEOUT}. A copy younger
 * than {@link #REUSE} is reused, so one request (which reads the tree once, then summaries and states)
 * sees one consistent copy and costs the room thread one task. Nothing runs while nobody inspects.
 */
final class SignalingInspection implements AutoCloseable {
    /** How long a request waits for the room thread's copy before it fails. */
    static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(2);

    /** How long a copy is reused. */
    static final Duration REUSE = Duration.ofMillis(50);

    /** The system name in the hello and in the socket's file name. */
    static final String SYSTEM_NAME = "signaling";

    private final Inspector inspector;
    private final InspectionServer server;

    private SignalingInspection(Inspector inspector, InspectionServer server) {
        this.inspector = inspector;
        this.server = server;
    }

    /**
     * Opens the local inspection socket for {@code hub}, read-only for everyone.
     *
     * @throws IOException if the socket cannot be opened (the message names its path)
     */
    static SignalingInspection start(Hub hub) throws IOException {
        Inspector inspector = inspectorOf(new Snapshots(hub::snapshot));
        return new SignalingInspection(
                inspector, InspectionServer.start(inspector, SYSTEM_NAME, InspectionAccess.READ));
    }

    /** An inspector of namespaces showing the copies {@code snapshots} gives. */
    static Inspector inspectorOf(Snapshots snapshots) {
        Inspector inspector = Inspector.ofNamespaces(SYSTEM_NAME);
        inspector.mount("/rooms", new Rooms(snapshots));
        inspector.mount("/connections", new Connections(snapshots));
        return inspector;
    }

    /** The inspector served on the socket. */
    Inspector inspector() {
        return inspector;
    }

    /** The socket's path. */
    java.nio.file.Path socket() {
        return server.socket();
    }

    /** Closes the socket; attached shells are disconnected. Idempotent. */
    @Override
    public void close() {
        server.close();
    }

    /** A room's name as one path segment. */
    static String segment(String room) {
        if (room.equals(".")) {
            return "%2E";
        }
        if (room.equals("..")) {
            return "%2E%2E";
        }
        return room.replace("%", "%25").replace("/", "%2F");
    }

    /** Copies from the room thread, each reused for {@link #REUSE}. Thread-safe. */
    static final class Snapshots {
        private final Supplier<java.util.concurrent.CompletableFuture<InspectionSnapshot>> source;
        private volatile Taken last;

        private record Taken(InspectionSnapshot snapshot, long atNanos) {}

        Snapshots(Supplier<java.util.concurrent.CompletableFuture<InspectionSnapshot>> source) {
            this.source = source;
        }

        InspectionSnapshot get() {
            Taken taken = last;
            long now = System.nanoTime();
            if (taken != null && now - taken.atNanos() < REUSE.toNanos()) {
                return taken.snapshot();
            }
            InspectionSnapshot snapshot;
            try {
                snapshot = source.get().get(SNAPSHOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the signaling server's rooms", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("the signaling server's room thread did not answer within "
                        + SNAPSHOT_TIMEOUT.toMillis() + " ms (busy)");
            }
            last = new Taken(snapshot, now);
            return snapshot;
        }
    }

    /** {@code /rooms}. */
    record Rooms(Snapshots snapshots) implements InspectableNamespace {
        @Override
        public String name() {
            return "rooms";
        }

        @Override
        public List<Room> children() {
            return snapshots.get().rooms().stream().map(Room::new).toList();
        }

        @Override
        public String summary() {
            return snapshots.get().rooms().size() + " room(s) with peers on this server";
        }

        @Override
        public Object state() {
            List<InspectionSnapshot.RoomView> rooms = snapshots.get().rooms();
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("rooms", rooms.size());
            state.put("peers", rooms.stream().mapToInt(r -> r.peers().size()).sum());
            return state;
        }
    }

    /** {@code /rooms/ROOM}: one copy of a room. */
    record Room(InspectionSnapshot.RoomView view) implements InspectableNamespace {
        @Override
        public String name() {
            return segment(view.name());
        }

        @Override
        public String summary() {
            int peers = view.peers().size() + view.elsewhere().size();
            return peers + (peers == 1 ? " peer, " : " peers, ") + (view.closed() ? "closed" : "open");
        }

        @Override
        public Object state() {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("room", view.name());
            state.put("closed", view.closed());
            List<Map<String, Object>> peers = new ArrayList<>();
            long frames = 0;
            long bytes = 0;
            for (InspectionSnapshot.PeerView peer : view.peers()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("identity", peer.identity());
                p.put("connection", peer.connection());
                p.put("connectedSince", String.valueOf(peer.connectedSince()));
                p.put("joinedAt", String.valueOf(peer.joinedAt()));
                p.put("framesRelayed", peer.framesRelayed());
                p.put("bytesRelayed", peer.bytesRelayed());
                peers.add(p);
                frames += peer.framesRelayed();
                bytes += peer.bytesRelayed();
            }
            state.put("peers", peers);
            state.put("elsewhere", view.elsewhere());
            state.put("framesRelayed", frames);
            state.put("bytesRelayed", bytes);
            return state;
        }
    }

    /** {@code /connections}. */
    record Connections(Snapshots snapshots) implements InspectableNamespace {
        @Override
        public String name() {
            return "connections";
        }

        @Override
        public List<ConnectionEntry> children() {
            return snapshots.get().connections().stream()
                    .map(ConnectionEntry::new)
                    .toList();
        }

        @Override
        public String summary() {
            return snapshots.get().connections().size() + " connection(s)";
        }

        @Override
        public Object state() {
            return Map.of("connections", snapshots.get().connections().size());
        }
    }

    /** {@code /connections/ID}: one copy of a connection. */
    record ConnectionEntry(InspectionSnapshot.ConnectionView view) implements InspectableNamespace {
        @Override
        public String name() {
            return Integer.toString(view.id());
        }

        @Override
        public String summary() {
            return (view.identity() == null ? "not verified yet" : view.identity()) + " from " + view.remoteAddress()
                    + ", " + view.rooms().size() + " room(s)" + (view.closing() ? ", closing" : "");
        }

        @Override
        public Object state() {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("id", view.id());
            state.put("remoteAddress", view.remoteAddress());
            state.put("identity", view.identity());
            state.put("rooms", view.rooms());
            state.put("since", String.valueOf(view.since()));
            state.put("closing", view.closing());
            return state;
        }
    }
}
