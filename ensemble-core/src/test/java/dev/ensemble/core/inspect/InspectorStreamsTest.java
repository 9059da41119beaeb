package dev.ensemble.core.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.internal.inspect.InspectorEngine;
import dev.ensemble.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Traces, watches and the history of a real system, through sessions of its inspector. */
class InspectorStreamsTest {
    private ActorSystem system;
    private InspectorEngine engine;
    private ShellProbe shell;
    private ActorClient<GaugeActions, GaugeState> gauge;
    private ActorClient<GaugeActions, GaugeState> other;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("streams")
                .add(Gauge.OTHER, Gauge::new)
                .add(Gauge.GAUGE, () -> new Gauge(Gauge.OTHER), Gauge.OTHER)
                .start();
        engine = (InspectorEngine) system.inspector();
        shell = new ShellProbe(engine, InspectionAccess.WRITE);
        gauge = system.client(Gauge.GAUGE);
        other = system.client(Gauge.OTHER);
    }

    @AfterEach
    void stop() {
        shell.close();
        system.close();
    }

    @Test
    void noTapIsInstalledUntilSomethingRecords() {
        assertFalse(engine.tapInstalled());
        shell.ok(1, "{\"id\":1,\"op\":\"ls\",\"path\":\"/\",\"long\":true}");
        assertFalse(engine.tapInstalled(), "listing installs nothing in the actors");
    }

    @Test
    void traceStopsAtMaxWithEveryFieldAndRemovesTheTap() {
        shell.session.request("{\"id\":9,\"op\":\"trace\",\"path\":\"/gauge\",\"max\":3}");
        Await.until("the trace is installed", engine::tapInstalled);
        for (int i = 0; i < 5; i++) {
            gauge.actions().label("n" + i, List.of("t"));
        }
        JsonNode end = shell.ok(9, "");
        assertEquals("max", end.get("ended").asText());
        assertEquals(3, end.get("count").asInt());
        assertEquals(0, end.get("dropped").asInt());
        List<JsonNode> events = shell.events(9);
        assertEquals(3, events.size());
        JsonNode first = events.get(0);
        assertTrue(first.get("time").asText().endsWith("Z"));
        assertTrue(first.get("sender").isNull(), "sent from outside any actor");
        assertEquals("/gauge", first.get("receiver").asText());
        assertEquals("tell", first.get("kind").asText());
        assertEquals("label", first.get("action").asText());
        assertEquals("\"n0\", [t]", first.get("args").asText());
        assertTrue(first.get("queueUs").asLong() >= 0);
        assertTrue(first.get("durationUs").asLong() >= 0);
        assertEquals("succeeded", first.get("outcome").asText());
        assertTrue(
                shell.indexOfReply(9)
                        > shell.lines.indexOf(shell.lines.stream()
                                .filter(line -> line.has("event"))
                                .reduce((a, b) -> b)
                                .orElseThrow()),
                "the end comes after the events");
        Await.until("the tap is removed", () -> !engine.tapInstalled());
    }

    @Test
    void traceNamesTheSenderActorAndOutcomes() {
        shell.session.request("{\"id\":1,\"op\":\"trace\",\"path\":\"/\",\"max\":4}");
        Await.until("the trace is installed", engine::tapInstalled);
        gauge.actions().forward(7);
        gauge.actions().fail("on purpose");
        gauge.actions().read();
        shell.ok(1, "");
        List<JsonNode> events = shell.events(1);
        JsonNode forwarded = events.stream()
                .filter(e -> e.get("receiver").asText().equals("/other"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no message to /other in " + events));
        assertEquals("/gauge", forwarded.get("sender").asText());
        assertEquals("set", forwarded.get("action").asText());
        assertEquals("7", forwarded.get("args").asText());
        JsonNode failed = events.stream()
                .filter(e -> e.get("action").asText().equals("fail"))
                .findFirst()
                .orElseThrow();
        assertEquals("failed", failed.get("outcome").asText());
        JsonNode ask = events.stream()
                .filter(e -> e.get("action").asText().equals("read"))
                .findFirst()
                .orElseThrow();
        assertEquals("ask", ask.get("kind").asText());
    }

    @Test
    void traceStopsAfterItsSeconds() {
        shell.session.request("{\"id\":2,\"op\":\"trace\",\"path\":\"/other\",\"seconds\":1}");
        JsonNode end = shell.ok(2, "");
        assertEquals("seconds", end.get("ended").asText());
        assertEquals(0, end.get("count").asInt());
        Await.until("the tap is removed", () -> !engine.tapInstalled());
    }

    @Test
    void traceEndsWhenTheTracedActorStops() {
        shell.session.request("{\"id\":3,\"op\":\"trace\",\"path\":\"/gauge\",\"seconds\":60}");
        Await.until("the trace is installed", engine::tapInstalled);
        system.stop(Gauge.GAUGE);
        JsonNode end = shell.ok(3, "");
        assertEquals("actor-stopped", end.get("ended").asText());
        Await.until("the tap is removed", () -> !engine.tapInstalled());
        shell.error(4L, "{\"id\":4,\"op\":\"trace\",\"path\":\"/gauge\"}", "unavailable");
        shell.error(5L, "{\"id\":5,\"op\":\"watch\",\"path\":\"/gauge\"}", "unavailable");
    }

    @Test
    void stoppingTheSystemEndsTheStreamsOfItsSessions() {
        shell.session.request("{\"id\":1,\"op\":\"trace\",\"path\":\"/\",\"seconds\":3600}");
        Await.until("the trace is installed", engine::tapInstalled);
        system.close();
        assertEquals("actor-stopped", shell.ok(1, "").get("ended").asText());
        assertEquals(
                "stopped",
                shell.ok(2, "{\"id\":2,\"op\":\"ls\",\"path\":\"/\",\"long\":true}")
                        .get("entries")
                        .get(0)
                        .get("status")
                        .asText());
        JsonNode late = shell.ok(3, "{\"id\":3,\"op\":\"trace\",\"path\":\"/\",\"seconds\":5}");
        assertEquals("actor-stopped", late.get("ended").asText(), "a trace of a stopped system ends at once");
    }

    @Test
    void cancelEndsAStreamAndClearsTheTapBeforeItsReply() {
        shell.session.request("{\"id\":5,\"op\":\"trace\",\"path\":\"/\",\"seconds\":60}");
        Await.until("the trace is installed", engine::tapInstalled);
        JsonNode cancelled = shell.ok(6, "{\"id\":6,\"op\":\"cancel\",\"target\":5}");
        assertEquals(0, cancelled.size());
        assertFalse(engine.tapInstalled(), "the actors pay nothing once cancel replied");
        assertEquals("cancelled", shell.reply(5).get("result").get("ended").asText());
    }

    @Test
    void closingASessionStopsItsStreams() {
        ShellProbe second = new ShellProbe(engine, InspectionAccess.READ);
        second.session.request("{\"id\":1,\"op\":\"trace\",\"path\":\"/\",\"seconds\":600}");
        second.session.request("{\"id\":2,\"op\":\"watch\",\"path\":\"/gauge\"}");
        Await.until("the trace is installed", engine::tapInstalled);
        Await.until("the watch sent the current state", () -> !second.events(2).isEmpty());
        second.close();
        assertFalse(engine.tapInstalled(), "closing the session removed the tap");
        int lines = second.lines.size();
        gauge.actions().set(3);
        Await.until("gauge holds 3", () -> gauge.state().value() == 3);
        shell.ok(9, "{\"id\":9,\"op\":\"cat\",\"path\":\"/gauge\"}");
        assertEquals(lines, second.lines.size(), "a closed session's sink hears nothing more");
        assertEquals(1, engine.openSessions());
    }

    @Test
    void atMostEightStreamsPerSession() {
        for (int id = 1; id <= 8; id++) {
            shell.session.request("{\"id\":" + id + ",\"op\":\"watch\",\"path\":\"/other\"}");
        }
        JsonNode busy = shell.error(9L, "{\"id\":9,\"op\":\"trace\",\"path\":\"/\"}", "busy");
        assertTrue(busy.get("message").asText().contains("8 open streams"), busy.toString());
        shell.ok(10, "{\"id\":10,\"op\":\"cancel\",\"target\":1}");
        shell.session.request("{\"id\":11,\"op\":\"trace\",\"path\":\"/\",\"max\":1}");
        other.actions().set(1);
        assertEquals("max", shell.ok(11, "").get("ended").asText());
    }

    @Test
    void watchSendsTheCurrentStateThenChanges() {
        gauge.actions().set(1);
        Await.until("gauge holds 1", () -> gauge.state().value() == 1);
        shell.session.request("{\"id\":4,\"op\":\"watch\",\"path\":\"/gauge\",\"max\":3}");
        Await.until("the current state", () -> shell.events(4).size() == 1);
        gauge.actions().set(2);
        gauge.actions().set(3);
        JsonNode end = shell.ok(4, "");
        assertEquals("max", end.get("ended").asText());
        List<JsonNode> states = shell.events(4);
        assertEquals(1, states.get(0).get("state").get("value").asInt());
        assertEquals(2, states.get(1).get("state").get("value").asInt());
        assertEquals(3, states.get(2).get("state").get("value").asInt());
        assertTrue(states.get(0).get("time").asText().endsWith("Z"));
    }

    @Test
    void historyRecordsOnlyWhileOnAndKeepsTheLastMessages() {
        gauge.actions().set(100);
        JsonNode off = shell.ok(1, "{\"id\":1,\"op\":\"history\"}");
        assertFalse(off.get("recording").asBoolean());
        assertEquals(1000, off.get("capacity").asInt());
        assertEquals(0, off.get("messages").size());
        assertFalse(engine.tapInstalled());

        assertTrue(shell.ok(2, "{\"id\":2,\"op\":\"history\",\"switch\":\"on\"}")
                .get("recording")
                .asBoolean());
        assertTrue(engine.tapInstalled());
        for (int i = 0; i < 1100; i++) {
            gauge.actions().set(i);
        }
        Await.until("all handled", () -> gauge.state().value() == 1099);
        JsonNode all = Await.value("the ring is full", () -> {
            long id = ids++;
            JsonNode h = shell.ok(id, "{\"id\":" + id + ",\"op\":\"history\",\"n\":1000}");
            return h.get("messages").size() == 1000
                            && h.get("messages").get(999).get("args").asText().equals("1099")
                    ? h
                    : null;
        });
        assertEquals("100", all.get("messages").get(0).get("args").asText(), "the ring keeps the newest 1000");
        assertEquals("/gauge", all.get("messages").get(0).get("receiver").asText());
        other.actions().set(5);
        Await.until("other recorded", () -> {
            long id = ids++;
            return shell.ok(id, "{\"id\":" + id + ",\"op\":\"history\",\"path\":\"/other\"}")
                            .get("messages")
                            .size()
                    == 1;
        });
        JsonNode gaugeOnly = shell.ok(3, "{\"id\":3,\"op\":\"history\",\"path\":\"/gauge\",\"n\":2}");
        assertEquals(2, gaugeOnly.get("messages").size());
        assertEquals("1098", gaugeOnly.get("messages").get(0).get("args").asText(), "oldest first");
        assertEquals("1099", gaugeOnly.get("messages").get(1).get("args").asText());

        assertFalse(shell.ok(4, "{\"id\":4,\"op\":\"history\",\"switch\":\"off\"}")
                .get("recording")
                .asBoolean());
        assertFalse(engine.tapInstalled(), "off removes the tap");
        gauge.actions().set(-1);
        Await.until("handled", () -> gauge.state().value() == -1);
        JsonNode kept = shell.ok(5, "{\"id\":5,\"op\":\"history\",\"path\":\"/gauge\",\"n\":1}");
        assertEquals("1099", kept.get("messages").get(0).get("args").asText(), "nothing recorded while off");
        shell.error(6L, "{\"id\":6,\"op\":\"history\",\"switch\":\"maybe\"}", "bad-request");
        shell.error(7L, "{\"id\":7,\"op\":\"history\",\"path\":\"/nope\"}", "no-such-path");
    }

    private long ids = 100;

    @Test
    void aSlowSinkDropsEventsAndCountsThemWithoutHoldingUpTheActors() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean helloSeen = new AtomicBoolean();
        java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        InspectionSession slow = engine.open(InspectionAccess.READ, line -> {
            received.add(line);
            if (helloSeen.compareAndSet(false, true)) {
                return;
            }
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            slow.request("{\"id\":1,\"op\":\"trace\",\"path\":\"/gauge\",\"max\":5000,\"seconds\":60}");
            Await.until("the trace is installed", engine::tapInstalled);
            for (int i = 0; i < 5000; i++) {
                gauge.actions().set(i);
            }
            Await.until(
                    "the actor handled everything while the sink was stuck",
                    Duration.ofSeconds(20),
                    () -> gauge.state().value() == 4999);
            release.countDown();
            JsonNode end = Await.value(
                    "the trace's end",
                    () -> received.stream()
                            .map(ShellProbe::parse)
                            .filter(line -> line.has("ok"))
                            .findFirst()
                            .orElse(null));
            JsonNode result = end.get("result");
            assertEquals("max", result.get("ended").asText());
            assertTrue(result.get("dropped").asInt() > 0, result.toString());
            assertEquals(
                    5000, result.get("count").asInt() + result.get("dropped").asInt());
        } finally {
            release.countDown();
            slow.close();
        }
    }

    @Test
    void twoSessionsAtOnceTraceIndependently() {
        try (ShellProbe second = new ShellProbe(engine, InspectionAccess.READ)) {
            shell.session.request("{\"id\":1,\"op\":\"trace\",\"path\":\"/gauge\",\"max\":2}");
            second.session.request("{\"id\":1,\"op\":\"trace\",\"path\":\"/other\",\"max\":1}");
            Await.until("both installed", engine::tapInstalled);
            // The second trace may start a little later than the first: the sets are repeated until it ends.
            gauge.actions().set(1);
            gauge.actions().set(2);
            Await.until("the second trace ended", () -> {
                other.actions().set(9);
                return second.indexOfReply(1) >= 0;
            });
            assertEquals(2, shell.ok(1, "").get("count").asInt());
            assertEquals(1, second.reply(1).get("result").get("count").asInt());
            shell.events(1)
                    .forEach(e -> assertEquals("/gauge", e.get("receiver").asText()));
            second.events(1)
                    .forEach(e -> assertEquals("/other", e.get("receiver").asText()));
            assertEquals(
                    "/other",
                    second.ok(2, "{\"id\":2,\"op\":\"cat\",\"path\":\"/other\"}")
                            .get("path")
                            .asText());
        }
        Await.until("the taps are removed", () -> !engine.tapInstalled());
    }
}
