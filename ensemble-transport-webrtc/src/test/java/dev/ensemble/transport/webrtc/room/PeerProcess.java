package dev.ensemble.transport.webrtc.room;

import dev.ensemble.collab.peers.Roster;
import dev.ensemble.testkit.Await;
import dev.ensemble.transport.PeerId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One peer of a room in a JVM of its own, driven by a test through its standard streams: it joins,
 * waits until every other peer is reached over WebRTC, adds its lines, waits until the document
 * holds every peer's lines, prints {@code CONVERGED <lines> <digest> <transports>} and stays in the
 * room until it reads {@code exit} (so that no peer leaves before the others have its lines).
 *
 * <pre>
 * PeerProcess SERVER_URI ROOM NAME PEERS LINES_PER_PEER
 * </pre>
 *
 * Exit codes: 0 done, 1 a wait timed out (the reason is printed as {@code FAILED ...}).
 */
public final class PeerProcess {
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private PeerProcess() {}

    public static void main(String[] args) throws Exception {
        URI server = URI.create(args[0]);
        String room = args[1];
        String name = args[2];
        int peers = Integer.parseInt(args[3]);
        int lines = Integer.parseInt(args[4]);
        try (RoomPeer peer = new RoomPeer(server, room, name, RoomPeer.fastRedial())) {
            Await.until(
                    "every other peer over WebRTC",
                    DEADLINE,
                    () -> {
                        Map<PeerId, String> transports = peer.peers().state().transports();
                        return transports.size() == peers - 1
                                && transports.values().stream().allMatch("webrtc"::equals);
                    },
                    () -> peer.peers().state().toString());
            for (int i = 0; i < lines; i++) {
                peer.notes().actions().add(name + " " + i);
            }
            Await.until(
                    "every peer's lines",
                    DEADLINE,
                    () -> peer.notes().state().lines().size() == peers * lines,
                    () -> peer.notes().state().lines().size() + " line(s)");
            List<String> sorted = new ArrayList<>(peer.notes().state().lines());
            sorted.sort(null);
            System.out.println("CONVERGED " + sorted.size() + " " + Integer.toHexString(sorted.hashCode()) + " "
                    + describe(peer.peers().state()));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.equals("exit"));
        } catch (AssertionError timedOut) {
            System.out.println("FAILED " + timedOut.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    private static String describe(Roster roster) {
        return new TreeMap<>(roster.transports()).values().toString().replace(" ", "");
    }
}
