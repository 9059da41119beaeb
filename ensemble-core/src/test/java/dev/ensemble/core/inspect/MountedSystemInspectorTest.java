package dev.ensemble.core.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.core.ActorProps;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.Subscription;
import dev.ensemble.core.internal.inspect.InspectorEngine;
import dev.ensemble.core.supervision.RestartStrategy;
import dev.ensemble.core.supervision.SupervisorSpec;
import dev.ensemble.core.supervision.WorkerSpec;
import dev.ensemble.testkit.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One process, two systems: the player's system mounted into the app's inspector at
 * {@code /players/ada}; every op through the mount, answered as the player's own inspector would.
 */
class MountedSystemInspectorTest {
    private ActorSystem app;
    private ActorSystem player;
    private InspectorEngine playerEngine;
    private Subscription mounted;
    private ShellProbe shell;

    @BeforeEach
    void start() {
        app = ActorSystem.builder("app").add(Gauge.GAUGE, Gauge::new).start();
        player = ActorSystem.builder("player-ada")
                .add(Gauge.OTHER, Gauge::new)
                .supervisor(SupervisorSpec.of("piano", RestartStrategy.ONE_FOR_ONE)
                        .child(WorkerSpec.of(InspectorTest.PRESENCE, () -> new Gauge(Gauge.OTHER))
                                .dependsOn(Gauge.OTHER)))
                .start();
        playerEngine = (InspectorEngine) player.inspector();
        mounted = app.inspector().mount("/players/ada", player.inspector());
        shell = new ShellProbe(app.inspector(), InspectionAccess.WRITE);
    }

    @AfterEach
    void stop() {
        shell.close();
        mounted.cancel();
        player.close();
        app.close();
    }

    private static List<String> names(JsonNode ls) {
        List<String> names = new ArrayList<>();
        ls.get("entries").forEach(entry -> names.add(entry.get("name").asText()));
        return names;
    }

    @Test
    void theMountedTreeAppearsUnderItsPathWithTheSystemAtTheMountPoint() {
        assertEquals(List.of("gauge", "players"), names(shell.ok(1, "{\"id\":1,\"op\":\"ls\",\"path\":\"/\"}")));
        JsonNode ada = shell.ok(2, "{\"id\":2,\"op\":\"ls\",\"path\":\"/players\",\"long\":true}")
                .get("entries")
                .get(0);
        assertEquals("ada", ada.get("name").asText());
        assertEquals("/players/ada", ada.get("path").asText());
        assertEquals("namespace", ada.get("kind").asText());
        assertEquals("ActorSystem", ada.get("type").asText());
        assertEquals("actor system \"player-ada\", 2 actors", ada.get("summary").asText());
        JsonNode cat = shell.ok(3, "{\"id\":3,\"op\":\"cat\",\"path\":\"/players/ada\"}");
        assertEquals("player-ada", cat.get("state").get("system").asText());
        assertEquals(2, cat.get("state").get("actors").asInt());

        JsonNode inside = shell.ok(4, "{\"id\":4,\"op\":\"ls\",\"path\":\"/players/ada\",\"long\":true}");
        assertEquals(List.of("other", "piano"), names(inside));
        JsonNode piano = inside.get("entries").get(1);
        assertEquals("/players/ada/piano", piano.get("path").asText());
        assertEquals("supervisor", piano.get("kind").asText());
        JsonNode presence = shell.ok(5, "{\"id\":5,\"op\":\"ls\",\"path\":\"/players/ada/piano\",\"long\":true}")
                .get("entries")
                .get(0);
        assertEquals("/players/ada/piano/presence", presence.get("path").asText());
        assertEquals("actor", presence.get("kind").asText());
        assertEquals("Gauge", presence.get("type").asText());
        assertEquals("running", presence.get("status").asText());
        assertEquals(0, presence.get("mailbox").asInt());

        JsonNode tree = shell.ok(6, "{\"id\":6,\"op\":\"tree\",\"path\":\"/players\"}");
        assertEquals(
                "/players/ada/piano/presence",
                tree.get("root")
                        .get("children")
                        .get(0)
                        .get("children")
                        .get(1)
                        .get("children")
                        .get(0)
                        .get("path")
                        .asText());
    }

    @Test
    void catActionsSendAndWatchReachTheMountedActors() {
        String path = "/players/ada/piano/presence";
        JsonNode actions = shell.ok(1, "{\"id\":1,\"op\":\"actions\",\"path\":\"" + path + "\"}");
        assertEquals(path, actions.get("path").asText());
        assertTrue(actions.get("actions").size() > 3, actions.toString());

        shell.session.request("{\"id\":2,\"op\":\"watch\",\"path\":\"" + path + "\"}");
        Await.until("the watch's first state", () -> shell.events(2).size() == 1);

        JsonNode sent =
                shell.ok(3, "{\"id\":3,\"op\":\"send\",\"path\":\"" + path + "\",\"action\":\"add\",\"args\":[5]}");
        assertEquals(path, sent.get("path").asText());
        assertEquals(5, sent.get("reply").asInt());
        assertEquals(
                5,
                player.client("/piano/presence", InspectorTest.PRESENCE).state().value(),
                "the player's own actor changed");
        assertEquals(
                5,
                shell.ok(4, "{\"id\":4,\"op\":\"cat\",\"path\":\"" + path + "\"}")
                        .get("state")
                        .get("value")
                        .asInt());
        Await.until("the watch saw the change", () -> shell.events(2).size() == 2);
        assertEquals(5, shell.events(2).get(1).get("state").get("value").asInt());
        shell.ok(5, "{\"id\":5,\"op\":\"cancel\",\"target\":2}");
        shell.ok(2, "");

        JsonNode noAction = shell.error(
                6L, "{\"id\":6,\"op\":\"send\",\"path\":\"" + path + "\",\"action\":\"nope\"}", "no-such-action");
        assertTrue(noAction.get("message").asText().contains(path), noAction.toString());
        shell.error(7L, "{\"id\":7,\"op\":\"cat\",\"path\":\"/players/ada/nothing\"}", "no-such-path");
    }

    @Test
    void traceThroughTheMountShowsOuterPathsAndLeavesNoTapBehind() {
        assertFalse(playerEngine.tapInstalled(), "mounted, nothing is installed in the player's actors");
        shell.ok(1, "{\"id\":1,\"op\":\"ls\",\"path\":\"/players/ada\",\"long\":true}");
        assertFalse(playerEngine.tapInstalled(), "listing installs nothing either");

        shell.session.request("{\"id\":2,\"op\":\"trace\",\"path\":\"/players/ada/piano\",\"max\":3}");
        Await.until("the trace is installed in the player's actors", playerEngine::tapInstalled);
        for (int i = 0; i < 3; i++) {
            player.client("/piano/presence", InspectorTest.PRESENCE)
                    .actions()
                    .forward(i); // also tells /other, outside the trace
        }
        JsonNode end = shell.ok(2, "");
        assertEquals("max", end.get("ended").asText());
        assertEquals(3, end.get("count").asInt());
        for (JsonNode event : shell.events(2)) {
            assertEquals("/players/ada/piano/presence", event.get("receiver").asText(), event.toString());
            assertEquals("forward", event.get("action").asText());
        }
        Await.until("the tap is removed from the player's actors", () -> !playerEngine.tapInstalled());

        // At the root a trace takes in both systems; the sender of a forwarded message carries the prefix.
        shell.session.request("{\"id\":3,\"op\":\"trace\",\"path\":\"/\",\"max\":3}");
        Await.until("installed", playerEngine::tapInstalled);
        app.client(Gauge.GAUGE).actions().set(1);
        Await.until("the app's message traced", () -> shell.events(3).size() == 1);
        player.client("/piano/presence", InspectorTest.PRESENCE).actions().forward(9);
        shell.ok(3, "");
        List<JsonNode> events = shell.events(3);
        assertEquals("/gauge", events.get(0).get("receiver").asText());
        JsonNode forwarded = events.get(2);
        assertEquals("/players/ada/other", forwarded.get("receiver").asText());
        assertEquals("/players/ada/piano/presence", forwarded.get("sender").asText());
        Await.until("the tap is removed again", () -> !playerEngine.tapInstalled());
    }

    @Test
    void historyAndTopCoverTheMountedSystem() {
        shell.ok(1, "{\"id\":1,\"op\":\"history\",\"switch\":\"on\"}");
        assertTrue(playerEngine.tapInstalled(), "the history records the mounted system too");
        player.client(Gauge.OTHER).actions().set(3);
        app.client(Gauge.GAUGE).actions().set(4);
        AtomicLong ids = new AtomicLong(100); // a fresh id per poll: the probe finds replies by id
        Await.until("both recorded", () -> {
            long id = ids.incrementAndGet();
            String request = "{\"id\":" + id + ",\"op\":\"history\",\"path\":\"/\"}";
            return shell.ok(id, request).get("messages").size() == 2;
        });
        JsonNode mine = shell.ok(3, "{\"id\":3,\"op\":\"history\",\"path\":\"/players/ada\"}");
        assertEquals(1, mine.get("messages").size());
        assertEquals(
                "/players/ada/other",
                mine.get("messages").get(0).get("receiver").asText());
        shell.ok(4, "{\"id\":4,\"op\":\"history\",\"switch\":\"off\"}");
        assertFalse(playerEngine.tapInstalled(), "switched off, the player's actors pay nothing");

        JsonNode top = shell.ok(5, "{\"id\":5,\"op\":\"top\",\"n\":10}");
        List<String> paths = new ArrayList<>();
        top.get("actors").forEach(actor -> paths.add(actor.get("path").asText()));
        assertEquals(3, paths.size(), paths.toString());
        assertTrue(
                paths.containsAll(List.of("/gauge", "/players/ada/other", "/players/ada/piano/presence")),
                paths.toString());
    }

    @Test
    void unmountingRemovesTheTreeAndMountsAreCheckedForCyclesAndOverlaps() {
        IllegalArgumentException cycle = assertThrows(
                IllegalArgumentException.class, () -> player.inspector().mount("/app", app.inspector()));
        assertEquals(
                "mounting system \"app\" at /app would make a cycle: it is, or already shows, system \"player-ada\"",
                cycle.getMessage());
        assertThrows(IllegalArgumentException.class, () -> app.inspector().mount("/me", app.inspector()));
        try (ActorSystem ben = ActorSystem.builder("player-ben").start()) {
            IllegalArgumentException overlap = assertThrows(
                    IllegalArgumentException.class, () -> app.inspector().mount("/players/ada/ben", ben.inspector()));
            assertEquals(
                    "cannot mount system \"player-ben\" at /players/ada/ben: system \"player-ada\" is mounted at /players/ada",
                    overlap.getMessage());
            Subscription benShown = app.inspector().mount("/players/ben", ben.inspector());
            assertEquals(List.of("ada", "ben"), names(shell.ok(1, "{\"id\":1,\"op\":\"ls\",\"path\":\"/players\"}")));
            benShown.cancel();
        }
        mounted.cancel();
        assertEquals(List.of("gauge"), names(shell.ok(2, "{\"id\":2,\"op\":\"ls\",\"path\":\"/\"}")));
        shell.error(3L, "{\"id\":3,\"op\":\"ls\",\"path\":\"/players/ada\"}", "no-such-path");
    }

    @Test
    void aMountedSystemThatStoppedIsListedEmptyAndItsActorsAreUnavailable() {
        shell.session.request("{\"id\":1,\"op\":\"trace\",\"path\":\"/players/ada/other\",\"max\":5}");
        Await.until("the trace is installed", playerEngine::tapInstalled);
        player.close();
        JsonNode end = shell.ok(1, "");
        assertEquals("actor-stopped", end.get("ended").asText(), "tracing one actor ends when it stops");
        // Its actors stay listed as they ended, as a stopped system's own inspector lists them.
        JsonNode other = shell.ok(2, "{\"id\":2,\"op\":\"ls\",\"path\":\"/players/ada\",\"long\":true}")
                .get("entries")
                .get(0);
        assertEquals("/players/ada/other", other.get("path").asText());
        assertEquals("stopped", other.get("status").asText());
        shell.error(3L, "{\"id\":3,\"op\":\"watch\",\"path\":\"/players/ada/other\"}", "unavailable");
        mounted.cancel();
        assertEquals(1, shell.ok(4, "{\"id\":4,\"op\":\"top\"}").get("actors").size(), "the app's gauge alone");
    }

    @Test
    void aSenderOfAnotherSystemKeepsItsOwnPath() {
        app.spawn(Relay.TOKEN, () -> new Relay(player.client(Gauge.OTHER)), ActorProps.defaults());
        shell.session.request("{\"id\":1,\"op\":\"trace\",\"path\":\"/\",\"max\":2}");
        Await.until("installed", playerEngine::tapInstalled);
        app.client(Relay.TOKEN).actions().relay(8);
        shell.ok(1, "");
        JsonNode received = shell.events(1).stream()
                .filter(e -> e.get("receiver").asText().equals("/players/ada/other"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(shell.events(1).toString()));
        assertEquals("/relay", received.get("sender").asText(), "the app's relay, not /players/ada/relay");
    }
}
