package dev.ensemble.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.repo.server.RepoAccessPolicy;
import dev.ensemble.collab.repo.server.RepoServerSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
                "repo-max-message-bytes")) {
            assertTrue(help.contains("--" + option + " "), option);
            assertTrue(
                    help.contains(
                            "env " + Main.ENV_PREFIX + option.toUpperCase().replace('-', '_') + ","),
                    option);
        }
    }
}
