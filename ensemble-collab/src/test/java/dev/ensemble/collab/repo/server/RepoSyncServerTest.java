package dev.ensemble.collab.repo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.repo.DocumentId;
import dev.ensemble.collab.repo.PeerMetadata;
import dev.ensemble.collab.repo.RepoMessage;
import dev.ensemble.collab.storage.FileDocumentStorage;
import dev.ensemble.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync server's engine without sockets: clients in the test thread speak to it through
 * {@link TestLink}s, as a WebSocket server would hand it their frames.
 */
class RepoSyncServerTest {
    @TempDir
    Path temp;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private RepoSyncServer start(RepoServerSettings settings) throws Exception {
        RepoSyncServer server = RepoSyncServer.start(settings);
        open.add(server);
        return server;
    }

    private RepoSyncServer start() throws Exception {
        return start(
                RepoServerSettings.builder().dataDirectory(temp.resolve("data")).build());
    }

    private TestClient client(RepoSyncServer server, String peerId) {
        TestClient client = new TestClient(server, peerId);
        open.add(client);
        return client;
    }

    private TestClient client(RepoSyncServer server, String peerId, String token) {
        TestClient client = new TestClient(server, peerId, token);
        open.add(client);
        return client;
    }

    @Test
    void answersJoinWithPeerAndItsStorageId() throws Exception {
        RepoSyncServer server = start();
        RepoMessage.Peer peer = client(server, "alice").join();
        assertEquals("ensemble-sync-server", peer.senderId());
        assertEquals("alice", peer.targetId());
        assertEquals("1", peer.selectedProtocolVersion());
        assertEquals(new PeerMetadata(server.storageId(), false), peer.peerMetadata());
        assertNotNull(server.storageId());
    }

    @Test
    void aDocumentOneClientCreatesIsServedToAnotherAndSurvivesARestart() throws Exception {
        RepoServerSettings settings =
                RepoServerSettings.builder().dataDirectory(temp.resolve("data")).build();
        RepoSyncServer server = start(settings);
        TestClient alice = client(server, "alice");
        alice.join();
        DocumentId id = alice.create("title", "from alice");
        alice.open(id);
        TestClient bob = client(server, "bob");
        bob.join();
        bob.open(id);
        bob.awaitValue(id, "title", "from alice", alice);

        alice.set(id, "title", "changed by alice");
        bob.awaitValue(id, "title", "changed by alice", alice);

        String storageId = server.storageId();
        server.close();
        assertTrue(alice.link.closed(), "clients are closed when the server stops");
        assertEquals(1001, alice.link.closeCode);

        RepoSyncServer restarted = start(settings);
        assertEquals(storageId, restarted.storageId(), "the storage id is kept in the data directory");
        TestClient carol = client(restarted, "carol");
        carol.join();
        carol.open(id);
        carol.awaitValue(id, "title", "changed by alice");
    }

    @Test
    void aRequestForADocumentItDoesNotHaveIsAnsweredDocUnavailableAndLaterSynced() throws Exception {
        RepoSyncServer server = start();
        TestClient bob = client(server, "bob");
        bob.join();
        DocumentId id = DocumentId.random();
        bob.open(id);
        Await.until("bob hears doc-unavailable", () -> {
            bob.pump();
            return bob.unavailable.containsKey(id);
        });
        // Created later by someone else: bob stays subscribed and gets it, as from the reference server.
        TestClient alice = client(server, "alice");
        alice.join();
        alice.documents.put(id, new org.automerge.Document());
        alice.set(id, "title", "late");
        alice.open(id);
        bob.awaitValue(id, "title", "late", alice);
    }

    @Test
    void documentsAreFreedWhenTheirLastClientLeaves() throws Exception {
        RepoSyncServer server = start();
        TestClient alice = client(server, "alice");
        alice.join();
        DocumentId id = alice.create("k", "v");
        alice.open(id);
        Await.until("the document is in memory", () -> {
            alice.pump();
            return server.documentsInMemory() == 1;
        });
        alice.session.closed();
        Await.until("the document is freed", () -> server.documentsInMemory() == 0);
    }

    @Test
    void ephemeralMessagesReachTheDocumentsOtherClientsOnly() throws Exception {
        RepoSyncServer server = start();
        TestClient alice = client(server, "alice");
        TestClient bob = client(server, "bob");
        TestClient carol = client(server, "carol");
        alice.join();
        bob.join();
        carol.join();
        DocumentId id = alice.create("k", "v");
        alice.open(id);
        bob.open(id);
        bob.awaitValue(id, "k", "v", alice);
        carol.open(alice.create("other", "doc"));
        alice.send(new RepoMessage.Ephemeral("alice", "ensemble-sync-server", id, 1, "s1", new byte[] {(byte) 0xa0}));
        Await.until("bob receives alice's ephemeral message", () -> {
            bob.pump();
            return !bob.ephemeral.isEmpty();
        });
        RepoMessage.Ephemeral received = bob.ephemeral.get(0);
        assertEquals("alice", received.senderId(), "the originating peer, as the reference server forwards");
        assertEquals("bob", received.targetId());
        assertEquals("s1", received.sessionId());
        assertEquals(1, received.count());
        alice.pump();
        carol.pump();
        assertTrue(alice.ephemeral.isEmpty(), "not echoed to the sender");
        assertTrue(carol.ephemeral.isEmpty(), "not sent to a client of another document");
    }

    @Test
    void aSecondConnectionWithTheSamePeerIdReplacesTheFirst() throws Exception {
        RepoSyncServer server = start();
        TestClient first = client(server, "alice");
        first.join();
        TestClient second = client(server, "alice");
        second.join();
        Await.until("the first connection is closed", first.link::closed);
        assertEquals(1000, first.link.closeCode);
        assertFalse(second.link.closed());
    }

    // ------------------------------------------------------------------ hostile input

    @Test
    void malformedCborIsAnsweredWithAnErrorAndTheConnectionClosedWhileOthersCarryOn() throws Exception {
        RepoSyncServer server = start();
        TestClient good = client(server, "good");
        good.join();
        DocumentId id = good.create("k", "v1");
        good.open(id);
        TestClient bad = client(server, "bad");
        bad.join();
        bad.session.received(new byte[] {(byte) 0xa1, 0x61}); // a map whose key is cut off
        Await.until("the bad client is closed", bad.link::closed);
        assertEquals(1002, bad.link.closeCode);
        assertTrue(
                bad.link.errors().get(0).startsWith("malformed message (frame is not well-formed CBOR"),
                bad.link.errors().toString());
        good.set(id, "k", "v2");
        TestClient reader = client(server, "reader");
        reader.join();
        reader.open(id);
        reader.awaitValue(id, "k", "v2", good);
        assertFalse(good.link.closed());
    }

    @Test
    void aFrameThatIsNotAMapOrHasTrailingBytesIsRefused() throws Exception {
        RepoSyncServer server = start();
        TestClient scalar = client(server, "scalar");
        scalar.session.received(new byte[] {0x01});
        Await.until("closed", scalar.link::closed);
        assertTrue(scalar.link.errors().get(0).contains("must be one CBOR map"), scalar.link.toString());
    }

    @Test
    void anUnknownMessageTypeIsAnsweredWithAnErrorAndTheConnectionStaysOpen() throws Exception {
        RepoSyncServer server = start();
        TestClient client = client(server, "curious");
        client.join();
        // {"type": "teleport", "senderId": "curious"}
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0xa2);
        cborText(frame, "type");
        cborText(frame, "teleport");
        cborText(frame, "senderId");
        cborText(frame, "curious");
        client.session.received(frame.toByteArray());
        Await.until("an error names the type", () -> !client.link.errors().isEmpty());
        assertEquals(
                "unknown message type \"teleport\"; it was dropped",
                client.link.errors().get(0));
        DocumentId id = client.create("still", "works");
        client.open(id);
        Await.until("the server still syncs with it", () -> {
            client.pump();
            return server.documentsInMemory() == 1;
        });
        assertFalse(client.link.closed());
    }

    @Test
    void anUnsupportedProtocolVersionGetsTheReferenceServersErrorAndAClose() throws Exception {
        RepoSyncServer server = start();
        TestClient client = client(server, "future");
        client.send(new RepoMessage.Join("future", PeerMetadata.EMPTY, List.of("2")));
        Await.until("closed", client.link::closed);
        assertEquals(List.of("unsupported protocol version"), client.link.errors());
        assertEquals(1002, client.link.closeCode);
    }

    @Test
    void messagesBeforeJoinOrUnderAnotherPeerIdAreRefused() throws Exception {
        RepoSyncServer server = start();
        TestClient early = client(server, "early");
        DocumentId id = DocumentId.random();
        early.send(new RepoMessage.Sync("early", "x", id, new byte[] {0x42}));
        Await.until("closed", early.link::closed);
        assertEquals(List.of("the first message must be join, but it was sync"), early.link.errors());

        TestClient spoofer = client(server, "mallory");
        spoofer.join();
        spoofer.send(new RepoMessage.Sync("alice", "x", id, new byte[] {0x42}));
        Await.until("closed", spoofer.link::closed);
        assertEquals(
                List.of("senderId \"alice\" is not the peer id \"mallory\" this connection joined as"),
                spoofer.link.errors());
    }

    @Test
    void aSyncMessageAutomergeRejectsForAnUnknownDocumentIsRefusedAndNothingIsStored() throws Exception {
        RepoSyncServer server = start();
        TestClient client = client(server, "garbage");
        client.join();
        DocumentId id = DocumentId.random();
        client.send(new RepoMessage.Sync("garbage", "ensemble-sync-server", id, new byte[] {0x42, 0x13, 0x37}));
        Await.until("closed", client.link::closed);
        assertEquals(1002, client.link.closeCode);
        assertTrue(
                client.link.errors().get(0).startsWith("the sync message for " + id + " is not one Automerge accepts"),
                client.link.errors().toString());
        Await.until("the document is freed", () -> server.documentsInMemory() == 0);
        assertFalse(
                Files.exists(temp.resolve("data/documents/" + id)) && hasLog(temp.resolve("data/documents/" + id)),
                "nothing was stored for it");
    }

    private static boolean hasLog(Path directory) throws Exception {
        try (var files = Files.list(directory)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("changes-") && sizeOf(f) > 8);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void anOversizedMessageIsRefusedBeforeItIsDecoded() throws Exception {
        RepoSyncServer server = start(RepoServerSettings.builder()
                .dataDirectory(temp.resolve("data"))
                .maxMessageBytes(4096)
                .build());
        TestClient client = client(server, "big");
        client.join();
        client.session.received(new byte[4097]);
        Await.until("closed", client.link::closed);
        assertEquals(1009, client.link.closeCode);
        assertEquals(
                List.of("a message of 4097 bytes exceeds this server's limit of 4096 bytes; the connection is closed"),
                client.link.errors());
    }

    @Test
    void aFloodClosesTheConnectionWithAnError() throws Exception {
        RepoSyncServer server = start(RepoServerSettings.builder()
                .dataDirectory(temp.resolve("data"))
                .messageRate(10, 20)
                .build());
        TestClient flooder = client(server, "flooder");
        flooder.join();
        byte[] join = TestClient.CODEC.encode(
                new RepoMessage.Ephemeral("flooder", "s", DocumentId.random(), 1, "s", new byte[] {(byte) 0xa0}));
        for (int i = 0; i < 100 && !flooder.link.closed(); i++) {
            flooder.session.received(join);
        }
        Await.until("closed", flooder.link::closed);
        assertEquals(1008, flooder.link.closeCode);
        assertEquals(
                "more than 10 messages per second (burst 20) from one connection; the connection is closed",
                flooder.link.errors().get(flooder.link.errors().size() - 1));
        TestClient calm = client(server, "calm");
        calm.join();
        assertFalse(calm.link.closed(), "another connection is not affected");
    }

    @Test
    void tooManyOpenDocumentsCloseTheConnection() throws Exception {
        RepoSyncServer server = start(RepoServerSettings.builder()
                .dataDirectory(temp.resolve("data"))
                .maxDocumentsPerConnection(3)
                .build());
        TestClient hoarder = client(server, "hoarder");
        hoarder.join();
        for (int i = 0; i < 4; i++) {
            hoarder.open(hoarder.create("n", "" + i));
        }
        Await.until("closed", hoarder.link::closed);
        assertEquals(
                "more than 3 documents open on one connection; the connection is closed",
                hoarder.link.errors().get(hoarder.link.errors().size() - 1));
        Await.until("its documents are freed", () -> server.documentsInMemory() == 0);
    }

    @Test
    void aClientThatDoesNotReadIsClosedAndItsDocumentsGoOnForTheOthers() throws Exception {
        RepoSyncServer server = start();
        TestClient alice = client(server, "alice");
        TestClient deaf = client(server, "deaf");
        TestClient bob = client(server, "bob");
        alice.join();
        deaf.join();
        bob.join();
        DocumentId id = alice.create("k", "v1");
        alice.open(id);
        deaf.open(id);
        bob.open(id);
        bob.awaitValue(id, "k", "v1", alice);
        deaf.link.notReading = true;
        alice.set(id, "k", "v2");
        bob.awaitValue(id, "k", "v2", alice);
        Await.until("the client that does not read is closed", deaf.link::closed, deaf.link::toString);
        assertEquals(1008, deaf.link.closeCode);
        assertTrue(deaf.link.closeReason.startsWith("the client does not read what it is sent"), deaf.link.closeReason);
        alice.set(id, "k", "v3");
        bob.awaitValue(id, "k", "v3", alice);
    }

    @Test
    void aConnectionThatNeverJoinsIsClosed() throws Exception {
        RepoSyncServer server = start(RepoServerSettings.builder()
                .dataDirectory(temp.resolve("data"))
                .joinTimeout(Duration.ofMillis(100))
                .build());
        TestClient silent = client(server, "silent");
        Await.until("closed", silent.link::closed);
        assertEquals(List.of("no join within 100 ms; closing"), silent.link.errors());
    }

    // ------------------------------------------------------------------ access

    @Test
    void aPolicyRefusesAJoinWithItsReason() throws Exception {
        RepoSyncServer server = start(RepoServerSettings.builder()
                .dataDirectory(temp.resolve("data"))
                .accessPolicy(peer -> {
                    throw new RepoAccessDeniedException("members only");
                })
                .build());
        TestClient client = client(server, "stranger");
        client.send(new RepoMessage.Join("stranger", PeerMetadata.EMPTY, List.of("1")));
        Await.until("closed", client.link::closed);
        assertEquals(List.of("members only"), client.link.errors());
        assertEquals(1008, client.link.closeCode);
    }

    @Test
    void tokensGrantTheirDocumentsAndCreationOnly() throws Exception {
        RepoAccessTokens tokens = new RepoAccessTokens("a secret of sixteen+ chars", Clock.systemUTC());
        RepoSyncServer server = start(RepoServerSettings.builder()
                .dataDirectory(temp.resolve("data"))
                .accessPolicy(tokens.policy())
                .build());
        TestClient writer = client(server, "writer", tokens.issue(List.of(), true, Duration.ofMinutes(5)));
        writer.join();
        DocumentId granted = writer.create("k", "granted");
        DocumentId secret = writer.create("k", "secret");
        writer.open(granted);
        writer.open(secret);
        Await.until("both documents are stored", () -> {
            writer.pump();
            return Files.isDirectory(temp.resolve("data/documents/" + granted))
                    && Files.isDirectory(temp.resolve("data/documents/" + secret));
        });
        writer.session.closed();

        TestClient reader = client(server, "reader", tokens.issue(List.of(granted), false, Duration.ofMinutes(5)));
        reader.join();
        reader.open(granted);
        reader.awaitValue(granted, "k", "granted");
        reader.open(secret);
        Await.until("the other document is refused as unavailable", () -> {
            reader.pump();
            return reader.unavailable.containsKey(secret);
        });
        assertEquals(List.of("document " + secret + " is not available to this connection"), reader.link.errors());
        assertNull(reader.get(secret, "k"));
        reader.open(DocumentId.random());
        Await.until("creating is refused too", () -> reader.link.errors().size() == 2);

        TestClient anonymous = client(server, "anonymous");
        anonymous.send(new RepoMessage.Join("anonymous", PeerMetadata.EMPTY, List.of("1")));
        Await.until("closed", anonymous.link::closed);
        assertEquals(
                List.of("this server needs an access token: connect to .../automerge-repo?token=TOKEN"),
                anonymous.link.errors());

        TestClient forger = client(
                server,
                "forger",
                new RepoAccessTokens("another secret, 16+ chars", Clock.systemUTC())
                        .issueForAll(true, Duration.ofMinutes(5)));
        forger.send(new RepoMessage.Join("forger", PeerMetadata.EMPTY, List.of("1")));
        Await.until("closed", forger.link::closed);
        assertEquals(List.of("the access token's signature is not valid for this server"), forger.link.errors());

        TestClient late = client(server, "late", tokens.issueForAll(false, Duration.ofSeconds(-1)));
        late.send(new RepoMessage.Join("late", PeerMetadata.EMPTY, List.of("1")));
        Await.until("closed", late.link::closed);
        assertTrue(late.link.errors().get(0).startsWith("the access token expired at "), late.link.toString());
    }

    @Test
    void aRefusedClientGetsTheSameAnswerForADocumentTheServerCannotReadAndReadsNothingOfIt() throws Exception {
        // A document whose stored change is not Automerge: loading it fails. A client the grant
        // refuses must not make the server read it, and must not learn that it is there.
        DocumentId broken = DocumentId.random();
        try (FileDocumentStorage storage = FileDocumentStorage.open(temp.resolve("data"))) {
            storage.append(broken.toString(), new byte[] {1, 2, 3, 4});
        }
        RepoAccessTokens tokens = new RepoAccessTokens("a secret of sixteen+ chars", Clock.systemUTC());
        RepoSyncServer server = start(RepoServerSettings.builder()
                .dataDirectory(temp.resolve("data"))
                .accessPolicy(tokens.policy())
                .build());
        TestClient stranger =
                client(server, "stranger", tokens.issue(List.of(DocumentId.random()), false, Duration.ofMinutes(5)));
        stranger.join();
        stranger.open(broken);
        Await.until("the stranger is refused", () -> {
            stranger.pump();
            return stranger.unavailable.containsKey(broken);
        });
        assertEquals(List.of("document " + broken + " is not available to this connection"), stranger.link.errors());

        TestClient owner = client(server, "owner", tokens.issue(List.of(broken), false, Duration.ofMinutes(5)));
        owner.join();
        owner.open(broken);
        Await.until("the owner is told the truth", () -> {
            owner.pump();
            return owner.unavailable.containsKey(broken);
        });
        assertEquals(List.of("the server cannot read document " + broken + " just now"), owner.link.errors());
    }

    @Test
    void theStorageKeepsAtMostTheLimitOfChangeLogsOpenAndAClosedOneIsWrittenAgain() throws Exception {
        Path proc = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(proc), "counts open files through /proc (Linux)");
        Path documentsDirectory = temp.resolve("data/documents").toAbsolutePath();
        RepoServerSettings settings = RepoServerSettings.builder()
                .dataDirectory(temp.resolve("data"))
                .maxOpenChangeLogs(2)
                .build();
        RepoSyncServer server = start(settings);
        TestClient alice = client(server, "alice");
        alice.join();
        List<DocumentId> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            DocumentId id = alice.create("k", "v" + i);
            ids.add(id);
            alice.open(id);
        }
        // A log holds an 8-byte header, then records: once each has a record, each was written, and
        // the server closed the older logs before writing the newer ones.
        Await.until("every document has a change in its log", () -> {
            alice.pump();
            return ids.stream().allMatch(id -> {
                Path log = documentsDirectory.resolve(id.toString()).resolve("changes-0000000000000001.log");
                try {
                    return Files.isRegularFile(log) && Files.size(log) > 8;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        });
        long open = openFilesUnder(proc, documentsDirectory);
        assertTrue(open <= 2, "change logs open: " + open + ", the limit is 2");

        // The first document's log was closed; a change to it opens it again and is kept.
        alice.set(ids.get(0), "k", "changed");
        alice.open(ids.get(0));
        TestClient bob = client(server, "bob");
        bob.join();
        bob.open(ids.get(0));
        bob.awaitValue(ids.get(0), "k", "changed", alice);
        server.close();
        TestClient carol = client(start(settings), "carol");
        carol.join();
        carol.open(ids.get(0));
        carol.awaitValue(ids.get(0), "k", "changed");
    }

    @Test
    void aLongHistoryUploadedAtOnceIsStoredAsASnapshotAndSurvivesARestart() throws Exception {
        RepoServerSettings settings =
                RepoServerSettings.builder().dataDirectory(temp.resolve("data")).build();
        RepoSyncServer server = start(settings);
        TestClient alice = client(server, "alice");
        alice.join();
        DocumentId id = alice.create("k", "v0");
        // 3,000 changes of about 80 bytes each: far beyond the limit once encoded one by one.
        for (int i = 1; i < 3_000; i++) {
            alice.set(id, "k", "v" + i);
        }
        alice.open(id);
        TestClient bob = client(server, "bob");
        bob.join();
        bob.open(id);
        bob.awaitValue(id, "k", "v2999", alice);

        Path directory = temp.resolve("data/documents").resolve(id.toString());
        assertTrue(Files.isRegularFile(directory.resolve("snapshot.bin")), "stored as a snapshot");
        long logged = 0;
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().startsWith("changes-")) {
                    logged += Files.size(file) - 8; // past the log's 8-byte header
                }
            }
        }
        assertTrue(logged < ServedDocument.SNAPSHOT_INSTEAD_BYTES, "bytes of changes logged: " + logged);
        server.close();
        TestClient carol = client(start(settings), "carol");
        carol.join();
        carol.open(id);
        carol.awaitValue(id, "k", "v2999");
    }

    private static long openFilesUnder(Path proc, Path directory) throws java.io.IOException {
        long count = 0;
        try (var fds = Files.list(proc)) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).startsWith(directory)) {
                        count++;
                    }
                } catch (java.io.IOException | UnsupportedOperationException e) {
                    // Closed between the listing and the read: not open.
                }
            }
        }
        return count;
    }

    @Test
    void aPeerIdCannotWriteALineOfItsOwnIntoTheLog() throws Exception {
        RepoSyncServer server = start();
        TestClient forger = client(server, "x\n12:00:00 INFO admin logged in");
        forger.join();
        String described = forger.session.toString();
        // (The test link describes itself by the peer id; a real one gives the remote address.)
        String ownPart = described.substring(
                0, described.length() - forger.link.describe().length());
        assertFalse(ownPart.contains("\n"), described);
        assertTrue(described.startsWith("peer \"x\\u000a12:00:00 INFO admin logged in\" ("), described);
    }

    @Test
    void anOversizedEphemeralMessageClosesItsSenderAndReachesNoOne() throws Exception {
        RepoSyncServer server = start(RepoServerSettings.builder()
                .dataDirectory(temp.resolve("data"))
                .maxEphemeralBytes(1024)
                .build());
        TestClient alice = client(server, "alice");
        TestClient bob = client(server, "bob");
        alice.join();
        bob.join();
        DocumentId id = alice.create("k", "v");
        alice.open(id);
        bob.open(id);
        bob.awaitValue(id, "k", "v", alice);
        alice.send(new RepoMessage.Ephemeral("alice", "ensemble-sync-server", id, 1, "s1", new byte[1024]));
        Await.until("bob receives the ephemeral message at the limit", () -> {
            bob.pump();
            return bob.ephemeral.size() == 1;
        });

        alice.send(new RepoMessage.Ephemeral("alice", "ensemble-sync-server", id, 2, "s1", new byte[1025]));
        Await.until("alice is closed", alice.link::closed);
        assertEquals(1009, alice.link.closeCode);
        assertEquals(
                List.of("an ephemeral message with 1025 bytes of data exceeds this server's limit of 1024 bytes;"
                        + " the connection is closed"),
                alice.link.errors());
        bob.pump();
        assertEquals(1, bob.ephemeral.size(), "the oversized message was not forwarded");
        assertFalse(bob.link.closed());
    }

    @Test
    void aConnectionIsClosedWhenItsTokenExpires() throws Exception {
        RepoAccessTokens tokens = new RepoAccessTokens("a secret of sixteen+ chars", Clock.systemUTC());
        RepoSyncServer server = start(RepoServerSettings.builder()
                .dataDirectory(temp.resolve("data"))
                .accessPolicy(tokens.policy())
                .build());
        // exp is in whole seconds: this token ends one to two seconds from now.
        TestClient brief = client(server, "brief", tokens.issue(List.of(), true, Duration.ofSeconds(2)));
        TestClient lasting = client(server, "lasting", tokens.issue(List.of(), true, Duration.ofMinutes(5)));
        brief.join();
        lasting.join();
        Await.until("the connection whose token expired is closed", brief.link::closed);
        assertEquals(1008, brief.link.closeCode);
        assertEquals(1, brief.link.errors().size(), brief.link.toString());
        assertTrue(
                brief.link.errors().get(0).startsWith("this connection's access ended at "),
                brief.link.errors().get(0));
        assertTrue(brief.link.errors().get(0).endsWith("; reconnect with a new token"));
        assertFalse(lasting.link.closed(), "a connection with a valid token stays");
    }

    @Test
    void withoutADataDirectoryDocumentsLiveInMemoryAndNoStorageIdIsAnnounced() throws Exception {
        RepoSyncServer server = start(RepoServerSettings.builder().build());
        assertNull(server.storageId());
        TestClient alice = client(server, "alice");
        assertEquals(new PeerMetadata(null, false), alice.join().peerMetadata());
        DocumentId id = alice.create("k", "v");
        alice.open(id);
        TestClient bob = client(server, "bob");
        bob.join();
        bob.open(id);
        bob.awaitValue(id, "k", "v", alice);
    }

    private static void cborText(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(0x60 + bytes.length);
        out.write(bytes, 0, bytes.length);
    }
}
