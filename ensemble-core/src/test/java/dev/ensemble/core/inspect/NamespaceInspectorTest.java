package dev.ensemble.core.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.Subscription;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.Test;

/** Read-only namespaces: an inspector of namespaces alone, and one mounted into a system's inspector. */
class NamespaceInspectorTest {
    /** A room of a pretend signaling server: its connections are its children. */
    record Room(String name, List<String> peers) implements InspectableNamespace {
        @Override
        public List<Connection> children() {
            return peers.stream().map(Connection::new).toList();
        }

        @Override
        public String summary() {
            return peers.size() + " peers";
        }

        @Override
        public Object state() {
            return Map.of("room", name, "peers", peers);
        }
    }

    record Connection(String name) implements InspectableNamespace {
        @Override
        public Object state() {
            return Map.of("peer", name);
        }
    }

    /** The rooms, changing while inspected: children read a snapshot each time. */
    static final class Rooms implements InspectableNamespace {
        final Map<String, List<String>> rooms = new ConcurrentSkipListMap<>();

        @Override
        public String name() {
            return "rooms";
        }

        @Override
        public List<Room> children() {
            return rooms.entrySet().stream()
                    .map(entry -> new Room(entry.getKey(), entry.getValue()))
                    .toList();
        }

        @Override
        public String summary() {
            return rooms.size() + " rooms";
        }

        @Override
        public Object state() {
            return Map.of("rooms", rooms.size());
        }
    }

    @Test
    void anInspectorOfNamespacesAloneListsCatsAndRefusesWhatNeedsAnActor() {
        Rooms rooms = new Rooms();
        rooms.rooms.put("piano", List.of("did:key:a", "did:key:b"));
        Inspector inspector = Inspector.ofNamespaces("signaling");
        inspector.mount("/rooms", rooms);
        try (ShellProbe shell = new ShellProbe(inspector, InspectionAccess.WRITE)) {
            assertEquals("signaling", shell.hello().get("system").asText());
            JsonNode root = shell.ok(1, "{\"id\":1,\"op\":\"ls\",\"path\":\"/\",\"long\":true}");
            JsonNode entry = root.get("entries").get(0);
            assertEquals("rooms", entry.get("name").asText());
            assertEquals("namespace", entry.get("kind").asText());
            assertEquals("Rooms", entry.get("type").asText());
            assertEquals("1 rooms", entry.get("summary").asText());
            assertTrue(entry.get("mailbox").isNull());
            JsonNode piano = shell.ok(2, "{\"id\":2,\"op\":\"ls\",\"path\":\"/rooms\",\"long\":true}")
                    .get("entries")
                    .get(0);
            assertEquals("/rooms/piano", piano.get("path").asText());
            assertEquals("2 peers", piano.get("summary").asText());
            JsonNode peers = shell.ok(3, "{\"id\":3,\"op\":\"ls\",\"path\":\"/rooms/piano\"}");
            assertEquals(
                    "/rooms/piano/did:key:b",
                    peers.get("entries").get(1).get("path").asText());
            JsonNode state = shell.ok(4, "{\"id\":4,\"op\":\"cat\",\"path\":\"/rooms/piano\"}")
                    .get("state");
            assertEquals("piano", state.get("room").asText());
            assertEquals("did:key:a", state.get("peers").get(0).asText());
            JsonNode tree = shell.ok(5, "{\"id\":5,\"op\":\"tree\",\"path\":\"/rooms\"}")
                    .get("root");
            assertEquals(1, tree.get("children").size());
            assertEquals(2, tree.get("children").get(0).get("children").size());

            rooms.rooms.put("jazz", List.of());
            assertEquals(
                    2,
                    shell.ok(6, "{\"id\":6,\"op\":\"ls\",\"path\":\"/rooms\"}")
                            .get("entries")
                            .size());

            shell.error(7L, "{\"id\":7,\"op\":\"actions\",\"path\":\"/rooms/piano\"}", "not-an-actor");
            shell.error(8L, "{\"id\":8,\"op\":\"send\",\"path\":\"/rooms\",\"action\":\"x\"}", "not-an-actor");
            shell.error(9L, "{\"id\":9,\"op\":\"watch\",\"path\":\"/rooms\"}", "not-an-actor");
            shell.error(10L, "{\"id\":10,\"op\":\"cat\",\"path\":\"/rooms/nope\"}", "no-such-path");
            assertEquals(
                    0, shell.ok(11, "{\"id\":11,\"op\":\"top\"}").get("actors").size());
            shell.session.request("{\"id\":12,\"op\":\"trace\",\"path\":\"/rooms\",\"seconds\":1}");
            assertEquals("seconds", shell.ok(12, "").get("ended").asText());
        }
    }

    @Test
    void aNamespaceThatThrowsFailsOneRequestOnly() {
        Inspector inspector = Inspector.ofNamespaces("broken");
        inspector.mount("/bad", new InspectableNamespace() {
            @Override
            public String name() {
                return "bad";
            }

            @Override
            public Object state() {
                throw new IllegalStateException("no state today");
            }
        });
        try (ShellProbe shell = new ShellProbe(inspector, InspectionAccess.READ)) {
            JsonNode error = shell.error(1L, "{\"id\":1,\"op\":\"cat\",\"path\":\"/bad\"}", "failed");
            assertTrue(error.get("message").asText().contains("no state today"), error.toString());
            shell.ok(2, "{\"id\":2,\"op\":\"ls\",\"path\":\"/\"}");
        }
    }

    @Test
    void aNamespaceMountedIntoASystemSitsBesideItsActorsUntilUnmounted() {
        try (ActorSystem system =
                ActorSystem.builder("mixed").add(Gauge.OTHER, Gauge::new).start()) {
            Rooms rooms = new Rooms();
            Subscription mounted = system.inspector().mount("/signaling/rooms", rooms);
            assertThrows(
                    IllegalArgumentException.class, () -> system.inspector().mount("/signaling/rooms", rooms));
            assertThrows(
                    IllegalArgumentException.class, () -> system.inspector().mount("/", rooms));
            assertThrows(
                    IllegalArgumentException.class, () -> system.inspector().mount("rooms", rooms));
            try (ShellProbe shell = new ShellProbe(system.inspector(), InspectionAccess.READ)) {
                JsonNode root =
                        shell.ok(1, "{\"id\":1,\"op\":\"ls\",\"path\":\"/\"}").get("entries");
                assertEquals("other", root.get(0).get("name").asText());
                assertEquals("actor", root.get(0).get("kind").asText());
                assertEquals("signaling", root.get(1).get("name").asText());
                assertEquals("namespace", root.get(1).get("kind").asText());
                shell.error(2L, "{\"id\":2,\"op\":\"cat\",\"path\":\"/signaling\"}", "not-an-actor");
                assertEquals(
                        0,
                        shell.ok(3, "{\"id\":3,\"op\":\"cat\",\"path\":\"/signaling/rooms\"}")
                                .get("state")
                                .get("rooms")
                                .asInt());
                mounted.cancel();
                assertEquals(
                        1,
                        shell.ok(4, "{\"id\":4,\"op\":\"ls\",\"path\":\"/\"}")
                                .get("entries")
                                .size());
                shell.error(5L, "{\"id\":5,\"op\":\"ls\",\"path\":\"/signaling\"}", "no-such-path");
            }
        }
    }
}
