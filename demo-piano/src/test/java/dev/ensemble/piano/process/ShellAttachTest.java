package dev.ensemble.piano.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.testkit.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real shell against a real piano: a headless piano with two bot players in a room of its
 * embedded signaling server, started once for the class with {@code --inspect-write}, and
 * {@code ensemble-shell --pid PID -c '...' --format json} in JVMs of their own, compared field by
 * field. Both get the same {@code XDG_RUNTIME_DIR} (a directory of the test), so the socket is
 * where {@code --pid} looks and nowhere else. A read-only piano and one with {@code --no-inspect}
 * are in {@link ShellAttachReadOnlyTest}.
 */
class ShellAttachTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    /** Each shell's console files get a name of their own. */
    static final AtomicInteger SHELLS = new AtomicInteger();

    static Map<String, String> env;
    static PeerProcess piano;

    @BeforeAll
    static void startPiano() throws IOException {
        Path runtime = Files.createDirectory(dir.resolve("run"));
        env = Map.of("XDG_RUNTIME_DIR", runtime.toString());
        piano = PeerProcess.start(dir, "Ada", env, "--headless", "--bots", "2", "--seconds", "600", "--inspect-write");
        String hint = piano.child().awaitLine("how to attach a shell", line -> line.startsWith("inspect this piano:"));
        assertEquals(
                "inspect this piano: java -jar ensemble-shell/target/ensemble-shell.jar --pid "
                        + piano.child().pid() + " (write access granted)",
                hint);
    }

    @AfterAll
    static void stopPiano() {
        if (piano != null) {
            piano.close();
        }
    }

    /** Runs a script in the shell attached by pid; returns its JSON lines after checking the exit status. */
    static List<JsonNode> shell(int expectedExit, String script) throws Exception {
        return ShellRun.script(
                dir, "shell-" + SHELLS.incrementAndGet(), env, piano.child().pid(), expectedExit, script);
    }

    static List<String> names(JsonNode ls) {
        List<String> names = new ArrayList<>();
        ls.get("entries").forEach(entry -> names.add(entry.get("name").asText()));
        return names;
    }

    @Test
    void lsShowsTheAppsActorsAndEachPlayersRoomTree() throws Exception {
        List<JsonNode> out = shell(0, "ls /; ls -l /players; ls -l /players/ada/piano");
        assertEquals(3, out.size(), out.toString());
        List<String> root = names(out.get(0));
        assertTrue(root.contains("players"), root.toString());
        assertTrue(root.stream().anyMatch(n -> n.startsWith("piano-")), root.toString());
        assertTrue(root.stream().anyMatch(n -> n.startsWith("sound-")), root.toString());
        assertTrue(root.stream().anyMatch(n -> n.startsWith("bot-")), root.toString());

        JsonNode players = out.get(1);
        assertEquals(List.of("ada", "bot-2"), names(players));
        for (JsonNode player : players.get("entries")) {
            assertEquals("namespace", player.get("kind").asText());
            assertEquals("ActorSystem", player.get("type").asText());
            assertTrue(player.get("summary").asText().startsWith("actor system \"piano-"), player.toString());
        }

        JsonNode room = out.get(2);
        assertEquals("/players/ada/piano", room.get("path").asText());
        assertEquals(List.of("ephemeral", "members", "peers", "presence", "room", "settings"), names(room));
        Set<String> types = new TreeSet<>();
        for (JsonNode actor : room.get("entries")) {
            assertEquals("actor", actor.get("kind").asText(), actor.toString());
            assertEquals(
                    "/players/ada/piano/" + actor.get("name").asText(),
                    actor.get("path").asText());
            assertEquals("running", actor.get("status").asText(), actor.toString());
            assertTrue(actor.get("mailbox").asInt() >= 0, actor.toString());
            assertTrue(actor.get("rate1s").asDouble() >= 0, actor.toString());
            assertTrue(actor.get("rate10s").asDouble() >= 0, actor.toString());
            assertEquals(0, actor.get("restarts").asInt(), actor.toString());
            assertTrue(actor.get("uptimeMs").asLong() >= 0, actor.toString());
            assertTrue(actor.get("summary").isTextual(), actor.toString());
            types.add(actor.get("type").asText());
        }
        assertEquals(
                Set.of(
                        "EphemeralChannel",
                        "MembersActor",
                        "PeerMessagingActor",
                        "PianoRoomActor",
                        "PresenceActor",
                        "RoomSettingsActor"),
                types);
    }

    @Test
    void catAndActionsOfTheRoomActor() throws Exception {
        List<JsonNode> out = shell(0, "cd /players/ada/piano; cat room; actions room");
        assertEquals(3, out.size(), out.toString());
        assertEquals("/players/ada/piano", out.get(0).get("path").asText());
        JsonNode cat = out.get(1);
        assertEquals("/players/ada/piano/room", cat.get("path").asText());
        assertEquals("PianoRoomActor", cat.get("type").asText());
        JsonNode state = cat.get("state");
        assertEquals("Ada", state.get("self").get("name").asText(), state.toString());
        assertTrue(state.get("players").isArray(), state.toString());
        assertTrue(state.get("settings").get("tempoBpm").asInt() > 0, state.toString());
        assertTrue(state.has("title"), state.toString());

        JsonNode actions = out.get(2);
        Map<String, String> kinds = new java.util.TreeMap<>();
        actions.get("actions")
                .forEach(a -> kinds.put(a.get("name").asText(), a.get("kind").asText()));
        assertEquals(Map.of("pingPeers", "tell", "send", "tell", "updatePresence", "tell"), kinds);
    }

    @Test
    void sendWithWriteAccessRetitlesTheRoomAsCatThenShows() throws Exception {
        List<JsonNode> out = shell(0, "send /players/ada/piano/settings retitle '\"Jam at noon\"'");
        assertEquals(1, out.size(), out.toString());
        JsonNode sent = out.get(0);
        assertEquals("/players/ada/piano/settings", sent.get("path").asText());
        assertEquals("retitle", sent.get("action").asText());
        assertEquals("ask", sent.get("kind").asText());
        assertEquals("Jam at noon", sent.get("reply").asText());
        // A CollaborationActor publishes its view in a turn after the change (COLLABORATION.md),
        // so a cat sent right after the reply may still see the title before it.
        Await.until(
                "cat of the settings shows the new title",
                () -> titleOf("/players/ada/piano/settings").equals("Jam at noon"));
        // The room actor hears of the change from the settings actor a moment later.
        Await.until(
                "the room view shows the new title",
                () -> titleOf("/players/ada/piano/room").equals("Jam at noon"));
    }

    @Test
    void revokingInThisOpenRoomIsRefusedSayingWhy() throws Exception {
        String bot = shell(0, "cat /players/bot-2/piano/room")
                .get(0)
                .get("state")
                .get("self")
                .get("id")
                .asText();
        List<JsonNode> out = shell(1, "send /players/ada/piano/members revoke '\"" + bot + "\"'");
        assertEquals(1, out.size(), out.toString());
        JsonNode error = out.get(0).get("error");
        assertEquals("failed", error.get("code").asText(), error.toString());
        assertTrue(
                error.get("message")
                        .asText()
                        .contains(" is in an open room: anyone the signaling server lets in may"
                                + " play, so there is no membership to revoke"),
                error.toString());
        JsonNode members = shell(0, "cat /players/ada/piano/members").get(0).get("state");
        assertFalse(members.get("closed").asBoolean(), members.toString());
    }

    /** @return the {@code title} of the state {@code cat PATH} shows */
    private static String titleOf(String path) {
        try {
            return shell(0, "cat " + path).get(0).get("state").get("title").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void traceWhileTheBotsPlayStopsAtItsBound() throws Exception {
        List<JsonNode> out = shell(0, "trace /players --max 5");
        assertEquals(6, out.size(), out.toString());
        for (JsonNode event : out.subList(0, 5)) {
            assertTrue(event.get("receiver").asText().startsWith("/players/"), event.toString());
            assertTrue(event.get("time").asText().endsWith("Z"), event.toString());
            assertTrue(Set.of("tell", "ask", "task").contains(event.get("kind").asText()), event.toString());
            assertTrue(event.get("durationUs").asLong() >= 0, event.toString());
        }
        JsonNode end = out.get(5);
        assertEquals("max", end.get("ended").asText());
        assertEquals(5, end.get("count").asInt() + end.get("dropped").asInt(), end.toString());
    }

    @Test
    void twoShellsAtOnce() throws Exception {
        String script = "top -n 1; trace / --max 5";
        String pid = String.valueOf(piano.child().pid());
        try (ShellRun first = ShellRun.start(dir, "first", env, "--pid", pid, "-c", script, "--format", "json");
                ShellRun second = ShellRun.start(dir, "second", env, "--pid", pid, "-c", script, "--format", "json")) {
            for (ShellRun run : List.of(first, second)) {
                assertEquals(0, run.awaitExit(), run.describe());
                List<JsonNode> out = run.json();
                assertTrue(out.get(0).get("actors").size() > 0, out.toString());
                assertEquals("max", out.get(out.size() - 1).get("ended").asText(), run.describe());
            }
        }
    }

    @Test
    void theSocketIsTheUsersAloneInADirectoryOfTheUsersAlone() throws Exception {
        Path socket =
                Path.of(env.get("XDG_RUNTIME_DIR"), "ensemble", piano.child().pid() + "-piano.sock");
        assertTrue(Files.exists(socket), socket + " exists");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        try (var files = Files.list(socket.getParent())) {
            assertEquals(List.of(socket), files.toList(), "one socket per piano, whatever its systems");
        }
        assertFalse(Files.exists(socket.resolveSibling(piano.child().pid() + "-piano-bot-2.sock")));
    }
}
