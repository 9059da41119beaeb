package dev.ensemble.piano.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.FreePorts;
import dev.ensemble.testkit.net.NetNamespace;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.TransportListener;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Headless runs through a real signaling server on 127.0.0.1, over the WebSocket relay or WebRTC. */
class NetworkRunTest {
    @Test
    void botsOnAnEmbeddedServerHearEachOtherOverTheRelay() throws Exception {
        MainTest.Run run = MainTest.run(
                "--headless", "--embedded", "--relay-only", "--bots", "3", "--seconds", "3", "--name", "Ada");

        assertEquals(0, run.code(), run.err());
        assertTrue(
                run.out().stream()
                        .anyMatch(line -> line.startsWith("another player joins with: java -jar "
                                + "demo-piano/target/demo-piano.jar --headless --server ws://127.0.0.1:")),
                run.out().toString());
        JsonNode summary = run.summary();
        JsonNode self = summary.get("self");
        assertTrue(self.get("peerId").asText().startsWith("did:key:z"), self.toString());
        long sent = self.get("notesSent").asLong();
        assertTrue(sent >= 4, "sent " + sent);
        JsonNode peers = summary.get("peers");
        assertEquals(2, peers.size(), summary.toString());
        for (JsonNode peer : peers) {
            assertEquals("RELAY", peer.get("transport").asText(), peer.toString());
            assertTrue(peer.get("notesReceived").asLong() >= 4, peer.toString());
        }
    }

    @Test
    void botsPlayOverTheNetworkWithoutAskingForAServer() throws Exception {
        // What a newcomer types: no --embedded. Outside the CI's namespace, keep to the relay on 127.0.0.1.
        MainTest.Run run = NetNamespace.inside()
                ? MainTest.run("--headless", "--bots", "2", "--seconds", "2")
                : MainTest.run("--headless", "--relay-only", "--bots", "2", "--seconds", "2");

        assertEquals(0, run.code(), run.err());
        assertTrue(
                run.out().stream().anyMatch(line -> line.contains("(embedded server)")),
                run.out().toString());
        JsonNode peers = run.summary().get("peers");
        assertEquals(1, peers.size(), run.summary().toString());
        assertEquals(
                NetNamespace.inside() ? "WEBRTC" : "RELAY",
                peers.get(0).get("transport").asText(),
                peers.toString());
    }

    @Test
    void botsPreferWebRtcWhereAChannelCanOpen() throws Exception {
        NetNamespace.assumeInside();
        MainTest.Run run = MainTest.run("--headless", "--embedded", "--bots", "3", "--seconds", "3", "--name", "Ada");

        assertEquals(0, run.code(), run.err());
        JsonNode peers = run.summary().get("peers");
        assertEquals(2, peers.size(), run.summary().toString());
        for (JsonNode peer : peers) {
            assertEquals("WEBRTC", peer.get("transport").asText(), peer.toString());
            assertTrue(peer.get("notesReceived").asLong() >= 4, peer.toString());
        }
    }

    @Test
    void twoRunsMeetThroughAServerGivenWithServerAndRoom() throws Exception {
        SignalingServer server =
                new SignalingServer(SignalingServerConfig.loopback().build()).start();
        try {
            String url = server.uri().toString();
            CompletableFuture<MainTest.Run> first = CompletableFuture.supplyAsync(() -> MainTest.run(
                    "--headless",
                    "--server",
                    url,
                    "--room",
                    "duet",
                    "--relay-only",
                    "--bot",
                    "melody",
                    "--seconds",
                    "4",
                    "--name",
                    "First"));
            // The second stays longer, so the first still sees it, and its transport, when it sums up.
            CompletableFuture<MainTest.Run> second = CompletableFuture.supplyAsync(() -> MainTest.run(
                    "--headless",
                    "--server",
                    url,
                    "--room",
                    "duet",
                    "--relay-only",
                    "--bot",
                    "melody",
                    "--seconds",
                    "6",
                    "--name",
                    "Second"));
            MainTest.Run firstRun = first.get();
            assertEquals(0, firstRun.code(), firstRun.err());
            JsonNode peersOfFirst = firstRun.summary().get("peers");
            assertEquals(1, peersOfFirst.size(), firstRun.summary().toString());
            assertEquals("Second", peersOfFirst.get(0).get("name").asText());
            assertEquals("RELAY", peersOfFirst.get(0).get("transport").asText());
            assertTrue(peersOfFirst.get(0).get("notesReceived").asLong() >= 2, peersOfFirst.toString());
            MainTest.Run secondRun = second.get();
            assertEquals(0, secondRun.code(), secondRun.err());
            JsonNode peersOfSecond = secondRun.summary().get("peers");
            assertEquals("First", peersOfSecond.get(0).get("name").asText());
            assertTrue(peersOfSecond.get(0).get("notesReceived").asLong() >= 2, peersOfSecond.toString());
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void aServerThatCannotBeReachedIsNamedAndTheRunFails() throws Exception {
        int closed = FreePorts.tcp();
        long started = System.nanoTime();
        MainTest.Run run = MainTest.run(
                "--headless", "--server", "ws://127.0.0.1:" + closed, "--room", "nowhere", "--bot", "--seconds", "5");

        assertEquals(1, run.code(), run.err());
        assertTrue(
                run.err().startsWith("error: cannot join room \"nowhere\" on ws://127.0.0.1:" + closed + ": "),
                run.err());
        assertTrue(run.err().contains("the signaling server does not answer ("), run.err());
        assertTrue(run.err().contains("Connection refused"), run.err());
        assertTrue(
                System.nanoTime() - started < RoomProvider.JOIN_TIMEOUT.toNanos(),
                "a refused connection ends the wait at once");
        assertTrue(
                run.out().stream().noneMatch(l -> l.startsWith(SummaryLine.PREFIX)),
                run.out().toString());
    }

    @Test
    void aFullRoomIsNamedAndTheRunFails() throws Exception {
        SignalingServer server = new SignalingServer(
                        SignalingServerConfig.loopback().maxPeersPerRoom(1).build())
                .start();
        try {
            String url = server.uri().toString();
            WebSocketTransport occupant = WebSocketTransport.create(
                    WebSocketTransportConfig.builder(server.uri(), "solo", PeerIdentity.generate())
                            .build());
            try {
                occupant.start(TransportListener.NONE);
                Await.until("the first peer is in the room", occupant::isInRoom);
                MainTest.Run second = MainTest.run("--headless", "--server", url, "--room", "solo", "--seconds", "1");

                assertEquals(1, second.code(), second.err());
                assertTrue(second.err().startsWith("error: cannot join room \"solo\" on " + url + ": "), second.err());
                assertTrue(
                        second.err().contains(": the room is full (the signaling server reported room-full: "),
                        second.err());
                assertTrue(second.err().contains("; choose another one with --room"), second.err());
            } finally {
                occupant.close();
            }
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void serverAndEmbeddedExcludeEachOther() {
        MainTest.Run run = MainTest.run("--headless", "--embedded", "--server", "ws://127.0.0.1:1");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--server and --embedded exclude each other"), run.err());
    }
}
