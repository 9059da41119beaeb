package dev.ensemble.piano.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closed piano rooms through a real signaling server on 127.0.0.1: the first player creates the room and
 * its invite ({@code --invite-out}), a second joins with it ({@code --invite}), and a stranger without
 * one is refused by the server, or, where the server does not check invites, by the players themselves.
 */
class ClosedRoomRunTest {

    @TempDir
    Path dir;

    @Test
    void theEmbeddedServerRefusesAStrangerAndTheInvitedPlayerGetsIn() throws Exception {
        int port = FreePorts.tcp();
        String url = "ws://127.0.0.1:" + port;
        Path invite = dir.resolve("jam.invite");
        CompletableFuture<MainTest.Run> owner = CompletableFuture.supplyAsync(() -> MainTest.run(
                "--headless",
                "--embedded",
                "--port",
                "" + port,
                "--room",
                "jam",
                "--relay-only",
                "--invite-out",
                invite.toString(),
                "--bot",
                "melody",
                "--seconds",
                "6",
                "--name",
                "Owner"));
        awaitInvite(invite, owner);

        MainTest.Run stranger =
                MainTest.run("--headless", "--server", url, "--room", "jam", "--relay-only", "--seconds", "1");
        assertEquals(1, stranger.code(), stranger.err());
        assertTrue(stranger.err().contains("room 'jam' is closed: join with an invite from its owner"), stranger.err());
        assertTrue(stranger.err().contains("(NO_INVITE)"), stranger.err());

        MainTest.Run guest = MainTest.run(
                "--headless",
                "--server",
                url,
                "--invite",
                invite.toString(),
                "--relay-only",
                "--bot",
                "melody",
                "--seconds",
                "4",
                "--name",
                "Guest");
        assertEquals(0, guest.code(), guest.err());
        assertTrue(
                guest.out().stream().anyMatch(l -> l.contains("closed room \"jam\"")),
                guest.out().toString());
        assertEquals(List.of("Owner"), names(guest.summary()));
        assertTrue(
                guest.summary().get("peers").get(0).get("notesReceived").asLong() >= 2,
                guest.summary().toString());

        MainTest.Run ownerRun = owner.get();
        assertEquals(0, ownerRun.code(), ownerRun.err());
        assertTrue(
                ownerRun.out().stream().anyMatch(l -> l.contains("--invite " + invite)),
                ownerRun.out().toString());
    }

    @Test
    void withoutTheServersCheckThePlayersThemselvesShutAStrangerOut() throws Exception {
        SignalingServer server =
                new SignalingServer(SignalingServerConfig.loopback().build()).start();
        try {
            String url = server.uri().toString();
            Path invite = dir.resolve("jam.invite");
            CompletableFuture<MainTest.Run> owner = CompletableFuture.supplyAsync(() -> MainTest.run(
                    "--headless",
                    "--server",
                    url,
                    "--room",
                    "jam",
                    "--relay-only",
                    "--invite-out",
                    invite.toString(),
                    "--bot",
                    "melody",
                    "--seconds",
                    "7",
                    "--name",
                    "Owner"));
            awaitInvite(invite, owner);
            assertTrue(Files.readString(invite).startsWith("ensemble-invite:"));
            // The server lets the stranger in (it knows nothing of closed rooms); it plays to everyone.
            CompletableFuture<MainTest.Run> stranger = CompletableFuture.supplyAsync(() -> MainTest.run(
                    "--headless",
                    "--server",
                    url,
                    "--room",
                    "jam",
                    "--relay-only",
                    "--bot",
                    "melody",
                    "--seconds",
                    "5",
                    "--name",
                    "Stranger"));
            MainTest.Run guest = MainTest.run(
                    "--headless",
                    "--server",
                    url,
                    "--invite",
                    invite.toString(),
                    "--relay-only",
                    "--bot",
                    "melody",
                    "--seconds",
                    "5",
                    "--name",
                    "Guest");
            MainTest.Run strangerRun = stranger.get();
            MainTest.Run ownerRun = owner.get();

            assertEquals(0, guest.code(), guest.err());
            assertEquals(0, ownerRun.code(), ownerRun.err());
            assertEquals(0, strangerRun.code(), strangerRun.err());
            assertEquals(
                    List.of("Guest"),
                    names(ownerRun.summary()),
                    ownerRun.summary().toString());
            assertEquals(
                    List.of("Owner"), names(guest.summary()), guest.summary().toString());
            assertTrue(
                    ownerRun.summary().get("peers").get(0).get("notesReceived").asLong() >= 2,
                    ownerRun.summary().toString());
            for (JsonNode peer : strangerRun.summary().get("peers")) {
                assertEquals(
                        0, peer.get("notesReceived").asLong(), "the members never played to the stranger: " + peer);
            }
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void botsOfOneProcessShareTheClosedRoomItCreates() throws Exception {
        Path invite = dir.resolve("bots.invite");
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        // A readable file of the same name is replaced by one only its owner can read, never rewritten in place.
        Files.writeString(invite, "an old invite, readable by all\n");
        if (posix) {
            Files.setPosixFilePermissions(invite, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        MainTest.Run run = MainTest.run(
                "--headless",
                "--embedded",
                "--relay-only",
                "--bots",
                "3",
                "--seconds",
                "3",
                "--invite-out",
                invite.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(
                run.out().stream().anyMatch(l -> l.contains("closed room \"")),
                run.out().toString());
        JsonNode peers = run.summary().get("peers");
        assertEquals(2, peers.size(), run.summary().toString());
        for (JsonNode peer : peers) {
            assertTrue(peer.get("notesReceived").asLong() >= 2, peer.toString());
        }
        assertTrue(Files.readString(invite).startsWith("ensemble-invite:"));
        if (posix) {
            assertEquals(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
                    Files.getPosixFilePermissions(invite),
                    "whoever reads the invite file can join");
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(invite), files.toList(), "no temporary copy of the secret is left behind");
        }
    }

    @Test
    void botsReachEachOtherOverWebRtcInAClosedRoom() throws Exception {
        dev.ensemble.testkit.net.NetNamespace.assumeInside();
        Path invite = dir.resolve("webrtc.invite");
        MainTest.Run run = MainTest.run(
                "--headless", "--embedded", "--bots", "3", "--seconds", "4", "--invite-out", invite.toString());
        assertEquals(0, run.code(), run.err());
        JsonNode peers = run.summary().get("peers");
        assertEquals(2, peers.size(), run.summary().toString());
        for (JsonNode peer : peers) {
            assertEquals("WEBRTC", peer.get("transport").asText(), peer.toString());
            assertTrue(peer.get("notesReceived").asLong() >= 2, peer.toString());
        }
    }

    @Test
    void anInviteForAnotherRoomThanRoomIsAUsageError() throws Exception {
        Path invite = dir.resolve("jam.invite");
        dev.ensemble.transport.PeerIdentity owner = dev.ensemble.transport.PeerIdentity.generate();
        java.time.Instant now = java.time.Instant.now();
        Files.writeString(
                invite,
                dev.ensemble.transport.membership.HeldInvite.issueBearer(owner, "jam", false, now, now.plusSeconds(60))
                        .toText());
        MainTest.Run run = MainTest.run(
                "--headless", "--server", "ws://127.0.0.1:1", "--room", "other", "--invite", invite.toString());
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("--room other is not the room of the invite (jam)"), run.err());
    }

    @Test
    void badInviteFilesAreRefusedBeforeAnythingConnects() throws Exception {
        Path garbage = dir.resolve("garbage.invite");
        Files.writeString(garbage, "not an invite");
        MainTest.Run run = MainTest.run("--headless", "--server", "ws://127.0.0.1:1", "--invite", garbage.toString());
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("--invite: " + garbage + " is not an invite: "), run.err());

        // The invite's line alone, as anyone sees it on the wire or in a join, is no invite: its key is missing.
        Path copied = dir.resolve("copied.invite");
        dev.ensemble.transport.PeerIdentity owner = dev.ensemble.transport.PeerIdentity.generate();
        java.time.Instant now = java.time.Instant.now();
        dev.ensemble.transport.membership.HeldInvite whole =
                dev.ensemble.transport.membership.HeldInvite.issueBearer(owner, "jam", false, now, now.plusSeconds(60));
        Files.writeString(copied, whole.chain().toText());
        MainTest.Run withoutKey =
                MainTest.run("--headless", "--server", "ws://127.0.0.1:1", "--invite", copied.toString());
        assertEquals(2, withoutKey.code(), withoutKey.err());
        assertTrue(withoutKey.err().contains("holds a bearer invite but not its key"), withoutKey.err());
        // An invite file written before holder keys: refused, saying why and what to do.
        Path old = dir.resolve("old.invite");
        Files.writeString(
                old,
                "ensemble-invite:AQMBAIcBAQEDamFtiojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1wAAAAAaVW5AAAAAABp"
                        + "VwqAMzMzMzMzMzMzMzMzMzMzM0RbTCS3zUN3eQa49F5bya7qnELIRPF-A6S4DtA-BAXxnekiCW8q8r_WESoFQ7bOsNuHrw8zmqoLFjat"
                        + "KVqUyAA\n");
        MainTest.Run oldFile = MainTest.run("--headless", "--server", "ws://127.0.0.1:1", "--invite", old.toString());
        assertEquals(2, oldFile.code(), oldFile.err());
        assertTrue(oldFile.err().contains("ask the room's owner for a new invite"), oldFile.err());

        Path huge = dir.resolve("huge.invite");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(3L << 30); // sparse: no disk used, but past what one string can hold
        }
        MainTest.Run tooLarge = MainTest.run("--headless", "--server", "ws://127.0.0.1:1", "--invite", huge.toString());
        assertEquals(2, tooLarge.code(), tooLarge.err());
        assertTrue(
                tooLarge.err().contains("--invite: " + huge + " is not an invite: it has 3221225472 bytes"),
                tooLarge.err());

        // A device has no size to check first (it says 0): read it whole and the JVM runs out of memory.
        Path endless = Path.of("/dev/zero");
        if (Files.isReadable(endless)) {
            MainTest.Run zeros =
                    MainTest.run("--headless", "--server", "ws://127.0.0.1:1", "--invite", endless.toString());
            assertEquals(2, zeros.code(), zeros.err());
            assertTrue(zeros.err().contains("--invite: /dev/zero is not an invite: it goes on past "), zeros.err());
        }

        MainTest.Run missing = MainTest.run(
                "--headless",
                "--server",
                "ws://127.0.0.1:1",
                "--invite",
                dir.resolve("none").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("--invite: cannot read "), missing.err());

        MainTest.Run both = MainTest.run(
                "--headless", "--server", "ws://127.0.0.1:1", "--invite", garbage.toString(), "--invite-out", "x");
        assertEquals(2, both.code(), both.err());

        MainTest.Run inProcess =
                MainTest.run("--headless", "--invite-out", dir.resolve("x").toString());
        assertEquals(2, inProcess.code(), inProcess.err());
        assertTrue(inProcess.err().contains("--invite-out needs a room on a signaling server"), inProcess.err());
    }

    private static void awaitInvite(Path invite, CompletableFuture<MainTest.Run> owner) {
        Await.until(
                "the owner wrote its invite",
                Duration.ofSeconds(20),
                () -> owner.isDone() || Files.exists(invite) && sizeOf(invite) > 0,
                () -> owner.isDone() ? owner.join() : "running");
        if (owner.isDone()) {
            throw new AssertionError("the owner's run ended before writing its invite: " + owner.join());
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static List<String> names(JsonNode summary) {
        List<String> names = new ArrayList<>();
        summary.get("peers").forEach(p -> names.add(p.get("name").asText()));
        return names;
    }
}
