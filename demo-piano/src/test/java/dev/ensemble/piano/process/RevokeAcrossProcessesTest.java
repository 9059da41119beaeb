package dev.ensemble.piano.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner of a closed room revokes a member of the running room through the shell, across JVMs: a real
 * signaling server on 127.0.0.1 (one that does not check invites, so that only the players' own check
 * keeps the member out), the owner's piano ({@code --invite-out}, {@code --inspect-write}) and two
 * members' pianos ({@code --invite}, each a bot playing its melody in a loop), each in a JVM of its own,
 * over the relay. {@code ensemble-shell --pid OWNER -c 'send /players/owner/piano/members revoke ...'}
 * revokes Bob; then the owner and Ann hear Bob leave and none of his notes, though he plays on; neither
 * lists him; Bob, cut off, says so naming the room; and Ann's notes still reach the owner.
 */
class RevokeAcrossProcessesTest {
    /** JVM starts, joins and sessions on a loaded two-core machine. */
    private static final Duration JOINED = Duration.ofSeconds(60);

    private static final String ROOM = "jam";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private SignalingServer server;
    private Map<String, String> env;
    private final List<PeerProcess> pianos = new ArrayList<>();
    private final AtomicInteger shells = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = new SignalingServer(SignalingServerConfig.loopback().build()).start();
        // Every piano's inspection socket in a directory of the test, where the shell's --pid looks.
        env = Map.of(
                "XDG_RUNTIME_DIR", Files.createDirectory(dir.resolve("run")).toString());
    }

    @AfterEach
    void stopEverything() {
        pianos.forEach(PeerProcess::close);
        server.stop(Duration.ofSeconds(2));
    }

    private PeerProcess piano(String name, String... args) throws IOException {
        List<String> all = new ArrayList<>(
                List.of("--headless", "--server", server.uri().toString(), "--relay-only", "--seconds", "300"));
        all.addAll(List.of(args));
        PeerProcess piano = PeerProcess.start(dir, name, env, all.toArray(String[]::new));
        pianos.add(piano);
        return piano;
    }

    @Test
    void theOwnerRevokesAMemberThroughTheShellAndOnlyThatMemberIsCutOff() throws Exception {
        Path invite = dir.resolve("jam.invite");
        PeerProcess owner = piano("Owner", "--room", ROOM, "--invite-out", invite.toString(), "--inspect-write");
        Await.until("the owner wrote its invite", JOINED, () -> Files.exists(invite) && sizeOf(invite) > 0, () -> {
            owner.assertAlive();
            return owner.console();
        });
        // Without --stay, a bot plays its melody over and over until --seconds pass.
        PeerProcess ann = piano(
                "Ann", "--invite", invite.toString(), "--bot", "melody", "--wait-for-players", "3", "--inspect-write");
        PeerProcess bob = piano("Bob", "--invite", invite.toString(), "--bot", "melody", "--wait-for-players", "3");

        String ownerId = Await.value("the owner's id", JOINED, owner::id);
        String annId = Await.value("Ann's id", JOINED, ann::id);
        String bobId = Await.value("Bob's id", JOINED, bob::id);
        for (PeerProcess listener : List.of(owner, ann)) {
            Await.until(
                    listener.name() + " hears Bob",
                    JOINED,
                    () -> !played(listener, bobId).isEmpty(),
                    () -> everyone(owner, ann, bob));
        }
        Await.until(
                "the owner hears Ann", JOINED, () -> !played(owner, annId).isEmpty(), () -> everyone(owner, ann, bob));

        // Ann, a member, may not revoke (her shell may send: --inspect-write), and nothing changes.
        JsonNode notHers = shell(ann, 1, "send /players/ann/piano/members revoke '\"" + bobId + "\"'")
                .get(0)
                .get("error");
        assertEquals("failed", notHers.get("code").asText(), notHers.toString());
        assertTrue(
                notHers.get("message")
                        .asText()
                        .contains("only the owner of closed room 'jam' (" + ownerId + ") may revoke its members; this"
                                + " player (" + annId + ") joined it with an invite"),
                notHers.toString());

        JsonNode revoked = shell(owner, 0, "send /players/owner/piano/members revoke '\"" + bobId + "\"'")
                .get(0);
        assertEquals("ask", revoked.get("kind").asText(), revoked.toString());
        JsonNode reply = revoked.get("reply");
        assertEquals(bobId, reply.get("member").asText(), reply.toString());
        assertEquals("Bob", reply.get("name").asText(), reply.toString());
        assertEquals(ROOM, reply.get("room").asText(), reply.toString());

        // The owner cuts Bob off at once; Ann when the revocation reaches her; each hears him leave.
        for (PeerProcess listener : List.of(owner, ann)) {
            Await.until(
                    listener.name() + " hears Bob leave",
                    JOINED,
                    () -> leftAt(listener, bobId) >= 0,
                    () -> everyone(owner, ann, bob));
        }
        // Bob, cut off, says why, naming the room; he plays on, to nobody.
        String cutOff = "this peer (" + bobId + ") is no longer a member of closed room 'jam': peer " + bobId
                + " was revoked by the room's owner";
        Await.until(
                "Bob says he was revoked",
                JOINED,
                () -> bob.child().stderr().stream().anyMatch(line -> line.contains(cutOff)),
                bob::console);
        int bobPlayedBefore = played(bob, bobId).size();
        // Ann keeps playing with the owner: three more of her notes reach it after Bob left, while Bob plays three.
        Await.until(
                "Ann's notes still reach the owner, and Bob still plays",
                JOINED,
                () -> after(owner, leftAt(owner, bobId), annId) >= 3
                        && played(bob, bobId).size() >= bobPlayedBefore + 3,
                () -> everyone(owner, ann, bob));
        bob.assertAlive();
        for (PeerProcess listener : List.of(owner, ann)) {
            assertEquals(
                    0,
                    after(listener, leftAt(listener, bobId), bobId),
                    listener.name() + " heard a note of Bob after he was revoked\n" + listener.console());
        }

        // Neither the owner nor Ann lists Bob; Ann knows he was revoked; Bob is alone in his room.
        assertEquals(List.of(ownerId, annId), players(owner, "owner"));
        assertEquals(List.of(annId, ownerId), players(ann, "ann"));
        assertEquals(List.of(bobId), players(bob, "bob"));
        JsonNode annMembers =
                shell(ann, 0, "cat /players/ann/piano/members").get(0).get("state");
        assertEquals(bobId, annMembers.get("revoked").get(0).asText(), annMembers.toString());
        assertEquals(false, annMembers.get("ownedHere").asBoolean(), annMembers.toString());

        // Revoking him again is refused, naming why; the shell reports the action's failure.
        JsonNode again = shell(owner, 1, "send /players/owner/piano/members revoke '\"" + bobId + "\"'")
                .get(0)
                .get("error");
        assertEquals("failed", again.get("code").asText(), again.toString());
        assertTrue(
                again.get("message").asText().contains(bobId + " was already revoked from closed room 'jam'"),
                again.toString());
    }

    /** @return the JSON lines of a shell script run against {@code piano}, after checking the exit status */
    private List<JsonNode> shell(PeerProcess piano, int expectedExit, String script) throws Exception {
        List<JsonNode> out = ShellRun.script(
                dir, "shell-" + shells.incrementAndGet(), env, piano.child().pid(), expectedExit, script);
        assertEquals(1, out.size(), out::toString);
        return out;
    }

    /** @return the ids of the players {@code piano}'s room lists, itself first, as the shell's cat shows them */
    private List<String> players(PeerProcess piano, String mount) throws Exception {
        JsonNode state =
                shell(piano, 0, "cat /players/" + mount + "/piano/room").get(0).get("state");
        List<String> ids = new ArrayList<>();
        state.get("players").forEach(p -> ids.add(p.get("id").asText()));
        return ids;
    }

    /** @return the notes of {@code player} that {@code listener} heard played, in order */
    private static List<JsonNode> played(PeerProcess listener, String player) {
        return listener.events("note", e -> isPlayed(e, player));
    }

    private static boolean isPlayed(JsonNode event, String player) {
        return event.get("type").asText().equals("note")
                && event.get("player").asText().equals(player)
                && event.get("on").asBoolean()
                && event.get("cause").asText().equals("played");
    }

    /** @return the index in {@code listener}'s log of the line saying {@code player} left, or -1 */
    private static int leftAt(PeerProcess listener, String player) {
        List<JsonNode> events = listener.events();
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            if (e.get("type").asText().equals("left")
                    && e.get("player").asText().equals(player)) {
                return i;
            }
        }
        return -1;
    }

    /** @return how many notes of {@code player} {@code listener} heard played after line {@code index} */
    private static long after(PeerProcess listener, int index, String player) {
        List<JsonNode> events = listener.events();
        return events.subList(index + 1, events.size()).stream()
                .filter(e -> isPlayed(e, player))
                .count();
    }

    private static String everyone(PeerProcess... pianos) {
        StringBuilder all = new StringBuilder();
        for (PeerProcess piano : pianos) {
            all.append(piano.console());
        }
        return all.toString();
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
