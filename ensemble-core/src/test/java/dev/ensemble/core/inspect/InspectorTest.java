package dev.ensemble.core.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.supervision.PoolSpec;
import dev.ensemble.core.supervision.RestartStrategy;
import dev.ensemble.core.supervision.SupervisorSpec;
import dev.ensemble.core.supervision.WorkerSpec;
import dev.ensemble.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sessions of a real system's inspector, driven by request lines; replies checked field by field. */
class InspectorTest {
    static final ActorToken<GaugeActions, GaugeState> PRESENCE =
            ActorToken.of("presence", GaugeActions.class, GaugeState.class);
    static final ActorToken<GaugeActions, GaugeState> WORKERS =
            ActorToken.of("workers", GaugeActions.class, GaugeState.class);

    private ActorSystem system;
    private ShellProbe shell;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("inspected")
                .askTimeout(Duration.ofMillis(300))
                .add(Gauge.OTHER, Gauge::new)
                .add(Gauge.GAUGE, () -> new Gauge(Gauge.OTHER), Gauge.OTHER)
                .add(Opaque.TOKEN, Opaque::new)
                .supervisor(SupervisorSpec.of("room", RestartStrategy.ONE_FOR_ONE)
                        .child(WorkerSpec.of(PRESENCE, Gauge::new))
                        .child(PoolSpec.of(WORKERS, Gauge::new, 2)))
                .start();
        shell = new ShellProbe(system.inspector(), InspectionAccess.WRITE);
    }

    @AfterEach
    void stop() {
        shell.close();
        system.close();
    }

    @Test
    void helloNamesTheSystemAndTheAccess() {
        JsonNode hello = shell.hello();
        assertEquals("hello", hello.get("type").asText());
        assertEquals(1, hello.get("protocol").asInt());
        assertEquals("inspected", hello.get("system").asText());
        assertEquals(ProcessHandle.current().pid(), hello.get("pid").asLong());
        assertEquals("write", hello.get("access").asText());
    }

    @Test
    void lsListsRootActorsAndSupervisorsSortedByName() {
        JsonNode result = shell.ok(1, "{\"id\":1,\"op\":\"ls\",\"path\":\"/\"}");
        assertEquals("/", result.get("path").asText());
        List<String> names = new ArrayList<>();
        result.get("entries").forEach(entry -> names.add(entry.get("name").asText()));
        assertEquals(List.of("gauge", "opaque", "other", "room"), names);
        JsonNode room = result.get("entries").get(3);
        assertEquals("/room", room.get("path").asText());
        assertEquals("supervisor", room.get("kind").asText());
        assertFalse(room.has("mailbox"), "the short form has name, path and kind only");
    }

    @Test
    void lsLongGivesEveryEntryField() {
        system.client(Gauge.GAUGE).actions().set(41);
        Await.until("gauge holds 41", () -> system.client(Gauge.GAUGE).state().value() == 41);
        JsonNode gauge = shell.ok(1, "{\"id\":1,\"op\":\"ls\",\"path\":\"/\",\"long\":true}")
                .get("entries")
                .get(0);
        assertEquals("gauge", gauge.get("name").asText());
        assertEquals("/gauge", gauge.get("path").asText());
        assertEquals("actor", gauge.get("kind").asText());
        assertEquals("Gauge", gauge.get("type").asText());
        assertEquals("running", gauge.get("status").asText());
        assertEquals(0, gauge.get("mailbox").asInt());
        assertTrue(gauge.get("rate1s").isNumber());
        assertTrue(gauge.get("rate10s").isNumber());
        assertEquals(0, gauge.get("restarts").asInt());
        assertTrue(gauge.get("uptimeMs").asLong() >= 0);
        assertEquals(
                "{\"value\":41,\"label\":\"\",\"tags\":[]}",
                gauge.get("summary").asText());
    }

    @Test
    void lsOfASupervisorShowsItsWorkerAndPoolAndThePoolItsReplicas() {
        JsonNode room = shell.ok(1, "{\"id\":1,\"op\":\"ls\",\"path\":\"/room\",\"long\":true}");
        assertEquals(2, room.get("entries").size());
        assertEquals("/room/presence", room.get("entries").get(0).get("path").asText());
        assertEquals("actor", room.get("entries").get(0).get("kind").asText());
        JsonNode pool = room.get("entries").get(1);
        assertEquals("/room/workers", pool.get("path").asText());
        assertEquals("pool", pool.get("kind").asText());
        assertEquals("2 replicas", pool.get("summary").asText());
        JsonNode replicas = shell.ok(2, "{\"id\":2,\"op\":\"ls\",\"path\":\"/room/workers/\"}");
        assertEquals("/room/workers", replicas.get("path").asText());
        assertEquals(
                "/room/workers/1", replicas.get("entries").get(0).get("path").asText());
        assertEquals(
                "/room/workers/2", replicas.get("entries").get(1).get("path").asText());
    }

    @Test
    void treeGivesTheWholeTree() {
        JsonNode root = shell.ok(1, "{\"id\":1,\"op\":\"tree\"}").get("root");
        assertEquals("/", root.get("path").asText());
        assertEquals("namespace", root.get("kind").asText());
        JsonNode room = root.get("children").get(3);
        assertEquals("room", room.get("name").asText());
        assertEquals("supervisor", room.get("kind").asText());
        JsonNode workers = room.get("children").get(1);
        assertEquals("pool", workers.get("kind").asText());
        assertEquals(
                "/room/workers/2", workers.get("children").get(1).get("path").asText());
        assertEquals(0, workers.get("children").get(1).get("children").size());
    }

    @Test
    void catGivesTheStateAsJson() {
        system.client(Gauge.GAUGE).actions().label("hot", List.of("a", "b"));
        Await.until("labelled", () -> system.client(Gauge.GAUGE).state().label().equals("hot"));
        JsonNode result = shell.ok(1, "{\"id\":1,\"op\":\"cat\",\"path\":\"/gauge\"}");
        assertEquals("/gauge", result.get("path").asText());
        assertEquals("Gauge", result.get("type").asText());
        assertEquals(0, result.get("state").get("value").asInt());
        assertEquals("hot", result.get("state").get("label").asText());
        assertEquals("b", result.get("state").get("tags").get(1).asText());
        assertFalse(result.has("stateError"));
    }

    @Test
    void aStateJacksonCannotSerializeFallsBackToItsTextAndTheSessionGoesOn() {
        JsonNode result = shell.ok(1, "{\"id\":1,\"op\":\"cat\",\"path\":\"/opaque\"}");
        assertEquals("Secret[sealed]", result.get("state").asText());
        assertTrue(
                result.get("stateError")
                        .asText()
                        .startsWith("Jackson cannot serialize " + Opaque.Secret.class.getName()),
                result.toString());
        JsonNode opaque = shell.ok(2, "{\"id\":2,\"op\":\"ls\",\"path\":\"/\",\"long\":true}")
                .get("entries")
                .get(1);
        assertEquals("Secret[sealed]", opaque.get("summary").asText());
        shell.ok(3, "{\"id\":3,\"op\":\"ls\",\"path\":\"/\"}");
    }

    @Test
    void actionsListsNamesKindsParametersAndReturnTypes() {
        JsonNode actions =
                shell.ok(1, "{\"id\":1,\"op\":\"actions\",\"path\":\"/gauge\"}").get("actions");
        List<String> names = new ArrayList<>();
        actions.forEach(action -> names.add(action.get("name").asText()));
        assertEquals(
                List.of("add", "crash", "fail", "forward", "hold", "label", "never", "read", "refuse", "set"), names);
        JsonNode label = actions.get(5);
        assertEquals("tell", label.get("kind").asText());
        assertEquals("text", label.get("params").get(0).get("name").asText());
        assertEquals("String", label.get("params").get(0).get("type").asText());
        assertEquals("tags", label.get("params").get(1).get("name").asText());
        assertEquals("List<String>", label.get("params").get(1).get("type").asText());
        assertEquals("void", label.get("returns").asText());
        JsonNode add = actions.get(0);
        assertEquals("ask", add.get("kind").asText());
        assertEquals("int", add.get("params").get(0).get("type").asText());
        assertEquals("Integer", add.get("returns").asText());
    }

    @Test
    void sendTellsAndAsks() {
        JsonNode tell = shell.ok(
                1, "{\"id\":1,\"op\":\"send\",\"path\":\"/gauge\",\"action\":\"label\",\"args\":[\"cold\",[\"x\"]]}");
        assertEquals("/gauge", tell.get("path").asText());
        assertEquals("label", tell.get("action").asText());
        assertEquals("tell", tell.get("kind").asText());
        assertTrue(tell.get("reply").isNull());
        Await.until(
                "labelled cold",
                () -> system.client(Gauge.GAUGE).state().label().equals("cold"));
        JsonNode ask = shell.ok(2, "{\"id\":2,\"op\":\"send\",\"path\":\"/gauge\",\"action\":\"add\",\"args\":[5]}");
        assertEquals("ask", ask.get("kind").asText());
        assertEquals(5, ask.get("reply").asInt());
        JsonNode replica = shell.ok(3, "{\"id\":3,\"op\":\"send\",\"path\":\"/room/workers/2\",\"action\":\"read\"}");
        assertEquals(0, replica.get("reply").asInt());
    }

    @Test
    void sendErrorsNameWhatIsWrong() {
        JsonNode noAction = shell.error(
                1L, "{\"id\":1,\"op\":\"send\",\"path\":\"/gauge\",\"action\":\"explode\"}", "no-such-action");
        assertTrue(noAction.get("message").asText().contains("no action \"explode\""), noAction.toString());
        JsonNode badType = shell.error(
                2L,
                "{\"id\":2,\"op\":\"send\",\"path\":\"/gauge\",\"action\":\"set\",\"args\":[\"high\"]}",
                "bad-argument");
        assertTrue(
                badType.get("message").asText().startsWith("parameter value: \"high\" does not convert to int"),
                badType.toString());
        JsonNode arity = shell.error(
                3L, "{\"id\":3,\"op\":\"send\",\"path\":\"/gauge\",\"action\":\"set\",\"args\":[]}", "bad-argument");
        assertEquals(
                "action set of /gauge takes (int value), but got 0 arguments",
                arity.get("message").asText());
        JsonNode failed = shell.error(
                4L, "{\"id\":4,\"op\":\"send\",\"path\":\"/gauge\",\"action\":\"refuse\",\"args\":[\"no\"]}", "failed");
        assertEquals(
                "java.lang.IllegalArgumentException: no", failed.get("message").asText());
        shell.error(5L, "{\"id\":5,\"op\":\"send\",\"path\":\"/gauge\",\"action\":\"never\"}", "timeout");
        shell.error(6L, "{\"id\":6,\"op\":\"send\",\"path\":\"/room\",\"action\":\"read\"}", "not-an-actor");
        shell.error(7L, "{\"id\":7,\"op\":\"send\",\"path\":\"/nope\",\"action\":\"read\"}", "no-such-path");
        system.stop(Gauge.GAUGE).join();
        shell.error(
                8L, "{\"id\":8,\"op\":\"send\",\"path\":\"/gauge\",\"action\":\"set\",\"args\":[1]}", "unavailable");
        shell.error(9L, "{\"id\":9,\"op\":\"send\",\"path\":\"/gauge\",\"action\":\"read\"}", "unavailable");
    }

    @Test
    void sendAndHistorySwitchAreForbiddenInAReadOnlySession() {
        try (ShellProbe reader = new ShellProbe(system.inspector(), InspectionAccess.READ)) {
            assertEquals("read", reader.hello().get("access").asText());
            reader.error(
                    1L, "{\"id\":1,\"op\":\"send\",\"path\":\"/gauge\",\"action\":\"set\",\"args\":[3]}", "forbidden");
            reader.error(2L, "{\"id\":2,\"op\":\"history\",\"switch\":\"on\"}", "forbidden");
            assertFalse(reader.ok(3, "{\"id\":3,\"op\":\"history\"}")
                    .get("recording")
                    .asBoolean());
            reader.ok(4, "{\"id\":4,\"op\":\"cat\",\"path\":\"/gauge\"}");
        }
        assertEquals(0, system.client(Gauge.GAUGE).state().value(), "the forbidden send changed nothing");
    }

    @Test
    void malformedRequestsGetBadRequestAndTheSessionGoesOn() {
        assertEquals(
                "not JSON: ",
                shell.error(null, "{nope", "bad-request")
                        .get("message")
                        .asText()
                        .substring(0, 10));
        shell.error(null, "[1,2]", "bad-request");
        shell.error(null, "{\"op\":\"ls\",\"path\":\"/\"}", "bad-request");
        shell.error(null, "{\"id\":-1,\"op\":\"ls\"}", "bad-request");
        JsonNode unknown = shell.error(1L, "{\"id\":1,\"op\":\"rm\"}", "bad-request");
        assertTrue(unknown.get("message").asText().startsWith("unknown op \"rm\""), unknown.toString());
        JsonNode wrongType = shell.error(2L, "{\"id\":2,\"op\":\"ls\",\"path\":\"/\",\"long\":\"yes\"}", "bad-request");
        assertEquals(
                "field \"long\" must be true or false, but was \"yes\"",
                wrongType.get("message").asText());
        shell.error(3L, "{\"id\":3,\"op\":\"ls\",\"path\":\"gauge\"}", "bad-request");
        shell.error(4L, "{\"id\":4,\"op\":\"cat\"}", "bad-request");
        shell.error(5L, "{\"id\":5,\"op\":\"trace\",\"max\":0}", "bad-request");
        shell.error(6L, "{\"id\":6,\"op\":\"cancel\",\"target\":99}", "bad-request");
        shell.ok(7, "{\"id\":7,\"op\":\"ls\",\"path\":\"/\"}");
    }

    @Test
    void anOversizedLineIsTooLargeAndTheSessionGoesOn() {
        String huge = "{\"id\":1,\"op\":\"ls\",\"path\":\"/" + "x".repeat(1 << 20) + "\"}";
        shell.error(1L, huge, "too-large");
        shell.ok(2, "{\"id\":2,\"op\":\"ls\",\"path\":\"/\"}");
    }

    @Test
    void pathErrors() {
        JsonNode missing = shell.error(1L, "{\"id\":1,\"op\":\"ls\",\"path\":\"/gaugee\"}", "no-such-path");
        assertEquals("no actor or namespace at /gaugee", missing.get("message").asText());
        shell.error(2L, "{\"id\":2,\"op\":\"cat\",\"path\":\"/room\"}", "not-an-actor");
        shell.error(3L, "{\"id\":3,\"op\":\"actions\",\"path\":\"/room/workers\"}", "not-an-actor");
        shell.error(4L, "{\"id\":4,\"op\":\"watch\",\"path\":\"/\"}", "not-an-actor");
    }

    @Test
    void topListsTheBusiestFirst() {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ActorClient<GaugeActions, GaugeState> presence = system.client("/room/presence", PRESENCE);
        try {
            presence.actions().hold(release);
            presence.actions().set(1);
            presence.actions().set(2);
            JsonNode top = shell.ok(1, "{\"id\":1,\"op\":\"top\",\"n\":3}");
            assertTrue(top.get("time").asText().endsWith("Z"), top.toString());
            assertEquals(3, top.get("actors").size());
            assertEquals("/room/presence", top.get("actors").get(0).get("path").asText());
            // 2, or 3 if the hold has not begun yet
            assertTrue(top.get("actors").get(0).get("mailbox").asInt() >= 2, top.toString());
            assertEquals(0, top.get("actors").get(1).get("mailbox").asInt());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            release.countDown();
        }
    }

    @Test
    void ratesCountHandledMessages() {
        ActorClient<GaugeActions, GaugeState> gauge = system.client(Gauge.GAUGE);
        Await.until("gauge shows a rate", () -> {
            for (int i = 0; i < 50; i++) {
                gauge.actions().set(i);
            }
            return rate() > 0;
        });
    }

    private double rate() {
        long id = ids++;
        JsonNode entries = shell.ok(id, "{\"id\":" + id + ",\"op\":\"ls\",\"path\":\"/\",\"long\":true}")
                .get("entries");
        return entries.get(0).get("rate10s").asDouble();
    }

    private long ids = 1000;

    @Test
    void restartsAndUptimeComeFromTheCell() {
        ActorClient<GaugeActions, GaugeState> presence = system.client("/room/presence", PRESENCE);
        JsonNode before = shell.ok(1, "{\"id\":1,\"op\":\"ls\",\"path\":\"/room\",\"long\":true}")
                .get("entries")
                .get(0);
        assertEquals(0, before.get("restarts").asInt());
        presence.actions().crash("on purpose");
        JsonNode after = Await.value("a restart shows", () -> {
            long id = ids++;
            JsonNode entry = shell.ok(id, "{\"id\":" + id + ",\"op\":\"ls\",\"path\":\"/room\",\"long\":true}")
                    .get("entries")
                    .get(0);
            return entry.get("restarts").asInt() == 1
                            && entry.get("status").asText().equals("running")
                    ? entry
                    : null;
        });
        assertTrue(after.get("uptimeMs").asLong() < 5_000, after.toString());
        JsonNode room = shell.ok(2, "{\"id\":2,\"op\":\"ls\",\"path\":\"/\",\"long\":true}")
                .get("entries")
                .get(3);
        assertEquals(1, room.get("restarts").asInt(), "a supervisor sums its actors' restarts");
    }
}
