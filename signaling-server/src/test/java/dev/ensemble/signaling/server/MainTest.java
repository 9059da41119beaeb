package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.repo.DocumentId;
import dev.ensemble.collab.repo.PeerMetadata;
import dev.ensemble.collab.repo.server.RepoAccessDeniedException;
import dev.ensemble.collab.repo.server.RepoAccessPolicy;
import dev.ensemble.collab.repo.server.RepoAccessTokens;
import dev.ensemble.collab.repo.server.RepoPeerInfo;
import dev.ensemble.collab.repo.server.RepoServerSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void usesDefaultsWhenNothingIsGiven() {
        SignalingServerConfig config = Main.parse(new String[0], Map.of());
        assertEquals(SignalingServerConfig.DEFAULT_PORT, config.port());
        assertEquals(SignalingServerConfig.DEFAULT_MAX_PEERS_PER_ROOM, config.maxPeersPerRoom());
        assertNull(config.joinTokenSecret());
    }

    @Test
    void readsOptionsFromTheCommandLineOverTheEnvironment() {
        SignalingServerConfig config = Main.parse(
                new String[] {
                    "--port",
                    "9000",
                    "--signal-rate=50/80",
                    "--idle-timeout",
                    "45s",
                    "--stun-urls",
                    "stun:a:3478, stun:b:3478"
                },
                Map.of(
                        "ENSEMBLE_SIGNALING_PORT",
                        "7000",
                        "ENSEMBLE_SIGNALING_MAX_PEERS_PER_ROOM",
                        "5",
                        "ENSEMBLE_SIGNALING_HANDSHAKE_TIMEOUT",
                        "PT3S",
                        "ENSEMBLE_SIGNALING_JOIN_TOKEN_SECRET",
                        "a-long-enough-secret"));
        assertEquals(9000, config.port());
        assertEquals(new RateLimit(50, 80), config.signalRate());
        assertEquals(Duration.ofSeconds(45), config.idleTimeout());
        assertEquals(List.of("stun:a:3478", "stun:b:3478"), config.stunUrls());
        assertEquals(5, config.maxPeersPerRoom());
        assertEquals(Duration.ofSeconds(3), config.handshakeTimeout());
        assertEquals("a-long-enough-secret", config.joinTokenSecret());
    }

    @Test
    void takesTheRedisOfAClusterWithoutShowingItsPassword() {
        SignalingServerConfig config =
                Main.parse(new String[0], Map.of("ENSEMBLE_SIGNALING_REDIS", "redis://:s3cret@redis.internal:6380/2"));
        assertEquals("redis://:s3cret@redis.internal:6380/2", config.redisUri());
        assertTrue(config.toString().contains("redis=redis://redis.internal:6380/2"), config.toString());
        assertTrue(!config.toString().contains("s3cret"), config.toString());
        assertNull(Main.parse(new String[0], Map.of()).redisUri(), "no Redis: a server on its own");

        String message = assertThrows(
                        IllegalArgumentException.class,
                        () -> Main.parse(new String[] {"--redis", "http://redis.internal:6379"}, Map.of()))
                .getMessage();
        assertEquals(
                "--redis (or ENSEMBLE_SIGNALING_REDIS): must be redis://[:password@]host:port[/db] or rediss://..."
                        + " but starts with 'http:'",
                message);
    }

    @Test
    void namesTheOptionAndTheRuleWhenAValueIsWrong() {
        assertEquals(
                "unknown option --prot",
                assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--prot", "1"}, Map.of()))
                        .getMessage());
        assertEquals(
                "option --port needs a value",
                assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--port"}, Map.of()))
                        .getMessage());
        assertEquals(
                "--port (or ENSEMBLE_SIGNALING_PORT): port must be 0..65535 but is 70000",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Main.parse(new String[] {"--port", "70000"}, Map.of()))
                        .getMessage());
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> Main.parse(new String[0], Map.of("ENSEMBLE_SIGNALING_IDLE_TIMEOUT", "soon")))
                .getMessage()
                .contains("must be a duration like 250ms, 10s, 5m, 24h or PT10S but is 'soon'"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> Main.parse(new String[] {"--turn-secret", "s"}, Map.of()))
                .getMessage()
                .contains("turnSecret is set but turnUrls is empty"));
    }

    @Test
    void theAutomergeRepoEndpointIsOnInMemoryByDefaultAndTakesItsOwnOptions() {
        RepoServerSettings defaults = Main.parse(new String[0], Map.of()).automergeRepo();
        assertNull(defaults.dataDirectory(), "memory only unless --data is given");
        assertEquals(RepoAccessPolicy.OPEN, defaults.accessPolicy());

        RepoServerSettings configured = Main.parse(
                        new String[] {"--data", "/srv/docs", "--repo-max-message-bytes", "1048576"},
                        Map.of("ENSEMBLE_SIGNALING_REPO_TOKEN_SECRET", "sixteen characters at least"))
                .automergeRepo();
        assertEquals(Path.of("/srv/docs"), configured.dataDirectory());
        assertEquals(1_048_576, configured.maxMessageBytes());
        assertTrue(configured.accessPolicy() != RepoAccessPolicy.OPEN, "tokens are required");

        assertNull(
                Main.parse(new String[] {"--automerge-repo", "off", "--data", "/srv/docs"}, Map.of())
                        .automergeRepo(),
                "off wins, whatever the order");
        assertEquals(
                "--automerge-repo (or ENSEMBLE_SIGNALING_AUTOMERGE_REPO): must be on or off but is 'maybe'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Main.parse(new String[] {"--automerge-repo", "maybe"}, Map.of()))
                        .getMessage());
        assertEquals(
                "--repo-token-secret (or ENSEMBLE_SIGNALING_REPO_TOKEN_SECRET): the token secret must have at least 16"
                        + " characters, but has 5",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Main.parse(new String[] {"--repo-token-secret", "short"}, Map.of()))
                        .getMessage());
    }

    @Test
    void theAutomergeRepoLimitsAreOptionsWithTheSettingsDefaults() {
        RepoServerSettings defaults = Main.parse(new String[0], Map.of()).automergeRepo();
        RepoServerSettings built = RepoServerSettings.builder().build();
        assertEquals(built.maxDocumentsPerConnection(), defaults.maxDocumentsPerConnection());
        assertEquals(built.maxQueuedBytes(), defaults.maxQueuedBytes());
        assertEquals(built.messagesPerSecond(), defaults.messagesPerSecond());
        assertEquals(built.messageBurst(), defaults.messageBurst());
        assertEquals(built.joinTimeout(), defaults.joinTimeout());
        assertEquals(built.maxEphemeralBytes(), defaults.maxEphemeralBytes());
        assertEquals(built.maxOpenChangeLogs(), defaults.maxOpenChangeLogs());
        assertEquals(built.compactEvery(), defaults.compactEvery());
        assertEquals(built.peerId(), defaults.peerId());

        RepoServerSettings configured = Main.parse(
                        new String[] {
                            "--repo-max-documents-per-connection", "50",
                            "--repo-max-queued-bytes", "8589934592",
                            "--repo-message-rate", "100/300",
                            "--repo-join-timeout", "2s",
                            "--repo-max-ephemeral-bytes", "1024",
                            "--repo-compact-every", "10",
                            "--repo-peer-id", "docs-eu-1"
                        },
                        Map.of("ENSEMBLE_SIGNALING_REPO_MAX_OPEN_CHANGE_LOGS", "32"))
                .automergeRepo();
        assertEquals(50, configured.maxDocumentsPerConnection());
        assertEquals(8_589_934_592L, configured.maxQueuedBytes(), "more than an int holds");
        assertEquals(100, configured.messagesPerSecond());
        assertEquals(300, configured.messageBurst());
        assertEquals(Duration.ofSeconds(2), configured.joinTimeout());
        assertEquals(1024, configured.maxEphemeralBytes());
        assertEquals(32, configured.maxOpenChangeLogs(), "from the environment");
        assertEquals(10, configured.compactEvery());
        assertEquals("docs-eu-1", configured.peerId());
    }

    @Test
    void aWrongAutomergeRepoLimitIsRefusedNamingTheOptionAndTheRule() {
        Map<String[], String> cases = new LinkedHashMap<>();
        cases.put(
                new String[] {"--repo-max-open-change-logs", "0"},
                "--repo-max-open-change-logs (or ENSEMBLE_SIGNALING_REPO_MAX_OPEN_CHANGE_LOGS): maxOpenChangeLogs"
                        + " must be at least 1, but was 0");
        cases.put(
                new String[] {"--repo-max-ephemeral-bytes", "lots"},
                "--repo-max-ephemeral-bytes (or ENSEMBLE_SIGNALING_REPO_MAX_EPHEMERAL_BYTES): must be a whole number"
                        + " but is 'lots'");
        cases.put(
                new String[] {"--repo-max-queued-bytes", "1000"},
                "--repo-max-queued-bytes (or ENSEMBLE_SIGNALING_REPO_MAX_QUEUED_BYTES): maxQueuedBytes must be at"
                        + " least 65536, but was 1000");
        cases.put(
                new String[] {"--repo-message-rate", "0/10"},
                "--repo-message-rate (or ENSEMBLE_SIGNALING_REPO_MESSAGE_RATE): a rate limit needs perSecond >= 1"
                        + " and burst >= 1 but is 0/10");
        cases.put(
                new String[] {"--repo-join-timeout", "soon"},
                "--repo-join-timeout (or ENSEMBLE_SIGNALING_REPO_JOIN_TIMEOUT): must be a duration like 250ms, 10s,"
                        + " 5m, 24h or PT10S but is 'soon'");
        cases.put(
                new String[] {"--repo-max-documents-per-connection", "-1"},
                "--repo-max-documents-per-connection (or ENSEMBLE_SIGNALING_REPO_MAX_DOCUMENTS_PER_CONNECTION):"
                        + " maxDocumentsPerConnection must be at least 1, but was -1");
        cases.put(
                new String[] {"--repo-compact-every", "0"},
                "--repo-compact-every (or ENSEMBLE_SIGNALING_REPO_COMPACT_EVERY): compactEvery must be at least 1,"
                        + " but was 0");
        cases.forEach((args, message) -> assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> Main.parse(args, Map.of()))
                        .getMessage()));
    }

    @Test
    void aTokenAudienceIsCheckedAndNeedsATokenSecret() throws Exception {
        String secret = "sixteen characters at least";
        RepoServerSettings configured = Main.parse(
                        new String[] {"--repo-token-audience", "docs.example.com"},
                        Map.of("ENSEMBLE_SIGNALING_REPO_TOKEN_SECRET", secret))
                .automergeRepo();
        RepoAccessTokens here = new RepoAccessTokens(secret, Clock.systemUTC()).withAudience("docs.example.com");
        RepoAccessTokens elsewhere = new RepoAccessTokens(secret, Clock.systemUTC()).withAudience("other.example");
        DocumentId doc = DocumentId.random();
        assertTrue(configured
                .accessPolicy()
                .admit(peer(here.issue(List.of(doc), false, Duration.ofMinutes(1))))
                .mayOpen(doc, true));
        assertThrows(
                RepoAccessDeniedException.class,
                () -> configured
                        .accessPolicy()
                        .admit(peer(elsewhere.issue(List.of(doc), false, Duration.ofMinutes(1)))));

        assertEquals(
                "--repo-token-audience needs --repo-token-secret: an audience is checked in signed tokens",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Main.parse(new String[] {"--repo-token-audience", "docs.example.com"}, Map.of()))
                        .getMessage());
        assertEquals(
                "--repo-token-audience (or ENSEMBLE_SIGNALING_REPO_TOKEN_AUDIENCE): the token audience must not"
                        + " contain control characters",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Main.parse(
                                        new String[] {"--repo-token-secret", secret, "--repo-token-audience", "a\u0007b"
                                        },
                                        Map.of()))
                        .getMessage());
    }

    private static RepoPeerInfo peer(String token) {
        return new RepoPeerInfo("browser-1", PeerMetadata.EMPTY, token, "127.0.0.1:5000");
    }

    @Test
    void helpListsEveryOptionWithItsEnvironmentVariable() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Main.printUsage(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String help = bytes.toString(StandardCharsets.UTF_8);
        for (String option : List.of(
                "host",
                "port",
                "metrics-port",
                "max-frame-bytes",
                "control-rate",
                "signal-rate",
                "relay-rate",
                "flood-disconnect-threshold",
                "max-peers-per-room",
                "max-rooms-per-connection",
                "handshake-timeout",
                "idle-timeout",
                "write-guard-interval",
                "stun-urls",
                "turn-urls",
                "turn-secret",
                "turn-credential-ttl",
                "join-token-secret",
                "automerge-repo",
                "data",
                "repo-token-secret",
                "repo-max-message-bytes",
                "repo-token-audience",
                "repo-max-documents-per-connection",
                "repo-max-queued-bytes",
                "repo-message-rate",
                "repo-join-timeout",
                "repo-max-ephemeral-bytes",
                "repo-max-open-change-logs",
                "repo-compact-every",
                "repo-peer-id")) {
            assertTrue(help.contains("--" + option + " "), option);
            assertTrue(
                    help.contains(
                            "env " + Main.ENV_PREFIX + option.toUpperCase().replace('-', '_') + ","),
                    option);
        }
    }

    @Test
    void inspectIsASwitchThatAlsoTakesOnOrOff() {
        assertFalse(Main.parse(new String[0], Map.of()).inspect(), "off by default");
        assertTrue(Main.parse(new String[] {"--inspect"}, Map.of()).inspect());
        assertTrue(
                Main.parse(new String[] {"--inspect", "--port", "0"}, Map.of()).inspect());
        assertFalse(Main.parse(new String[] {"--inspect", "off"}, Map.of()).inspect());
        assertTrue(Main.parse(new String[0], Map.of("ENSEMBLE_SIGNALING_INSPECT", "on"))
                .inspect());
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class, () -> Main.parse(new String[] {"--inspect", "yes"}, Map.of()));
        assertEquals("--inspect (or ENSEMBLE_SIGNALING_INSPECT): must be on or off but is 'yes'", bad.getMessage());
    }
}
