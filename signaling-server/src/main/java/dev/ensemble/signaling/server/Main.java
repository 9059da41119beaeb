package dev.ensemble.signaling.server;

import dev.ensemble.collab.repo.server.RepoAccessPolicy;
import dev.ensemble.collab.repo.server.RepoAccessTokens;
import dev.ensemble.collab.repo.server.RepoServerSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * Runs the signaling server from the command line: {@code java -jar signaling-server.jar --port 8787}.
 *
 * <p>Every option is {@code --name value}; each can also come from an environment variable named
 * {@code ENSEMBLE_SIGNALING_} plus the option name in upper case with dashes as underscores (for
 * example {@code --max-peers-per-room} and {@code ENSEMBLE_SIGNALING_MAX_PEERS_PER_ROOM}). The command line
 * wins over the environment. Secrets are best passed through the environment. {@code --help} lists every
 * option with its default.
 */
public final class Main {

    /** Prefix of the environment variables. */
    public static final String ENV_PREFIX = "ENSEMBLE_SIGNALING_";

    private static final List<Option> OPTIONS = List.of(
            new Option("host", "address to listen on", SignalingServerConfig.DEFAULT_HOST, (b, v) -> b.host(v)),
            new Option(
                    "port",
                    "WebSocket port (0 = any free port)",
                    "" + SignalingServerConfig.DEFAULT_PORT,
                    (b, v) -> b.port(integer("port", v))),
            new Option(
                    "metrics-port",
                    "HTTP port for /healthz and /metrics (0 = any free port, -1 = off)",
                    "" + SignalingServerConfig.DEFAULT_METRICS_PORT,
                    (b, v) -> b.metricsPort(integer("metrics-port", v))),
            new Option(
                    "max-frame-bytes",
                    "largest accepted frame in bytes",
                    "" + SignalingServerConfig.DEFAULT_MAX_FRAME_BYTES,
                    (b, v) -> b.maxFrameBytes(integer("max-frame-bytes", v))),
            new Option(
                    "control-rate",
                    "hello/join/leave per connection, perSecond/burst",
                    SignalingServerConfig.DEFAULT_CONTROL_RATE.toString(),
                    (b, v) -> b.controlRate(RateLimit.parse(v))),
            new Option(
                    "signal-rate",
                    "signal messages per connection, perSecond/burst",
                    SignalingServerConfig.DEFAULT_SIGNAL_RATE.toString(),
                    (b, v) -> b.signalRate(RateLimit.parse(v))),
            new Option(
                    "relay-rate",
                    "relay frames per connection, perSecond/burst",
                    SignalingServerConfig.DEFAULT_RELAY_RATE.toString(),
                    (b, v) -> b.relayRate(RateLimit.parse(v))),
            new Option(
                    "flood-disconnect-threshold",
                    "rate-limited messages within 10 s that close the connection",
                    "" + SignalingServerConfig.DEFAULT_FLOOD_DISCONNECT_THRESHOLD,
                    (b, v) -> b.floodDisconnectThreshold(integer("flood-disconnect-threshold", v))),
            new Option(
                    "max-peers-per-room",
                    "peers in one room",
                    "" + SignalingServerConfig.DEFAULT_MAX_PEERS_PER_ROOM,
                    (b, v) -> b.maxPeersPerRoom(integer("max-peers-per-room", v))),
            new Option(
                    "max-rooms-per-connection",
                    "rooms one connection may be in",
                    "" + SignalingServerConfig.DEFAULT_MAX_ROOMS_PER_CONNECTION,
                    (b, v) -> b.maxRoomsPerConnection(integer("max-rooms-per-connection", v))),
            new Option(
                    "handshake-timeout",
                    "time allowed from connect to a valid hello (e.g. 10s, 500ms, PT10S)",
                    text(SignalingServerConfig.DEFAULT_HANDSHAKE_TIMEOUT),
                    (b, v) -> b.handshakeTimeout(duration("handshake-timeout", v))),
            new Option(
                    "idle-timeout",
                    "keep-alive ping interval; silent connections close after about 1.5x",
                    text(SignalingServerConfig.DEFAULT_IDLE_TIMEOUT),
                    (b, v) -> b.idleTimeout(duration("idle-timeout", v))),
            new Option(
                    "write-guard-interval",
                    "how often queued frames are checked for a lost write demand",
                    text(SignalingServerConfig.DEFAULT_WRITE_GUARD_INTERVAL),
                    (b, v) -> b.writeGuardInterval(duration("write-guard-interval", v))),
            new Option(
                    "stun-urls",
                    "comma-separated STUN URLs for clients (stun:host:port)",
                    "",
                    (b, v) -> b.stunUrls(list(v))),
            new Option(
                    "turn-urls",
                    "comma-separated TURN URLs for clients (turn:host:port?transport=udp)",
                    "",
                    (b, v) -> b.turnUrls(list(v))),
            new Option(
                    "turn-secret",
                    "secret shared with the TURN server (coturn static-auth-secret)",
                    "",
                    (b, v) -> b.turnSecret(v.isEmpty() ? null : v)),
            new Option(
                    "turn-credential-ttl",
                    "lifetime of issued TURN credentials",
                    text(SignalingServerConfig.DEFAULT_TURN_CREDENTIAL_TTL),
                    (b, v) -> b.turnCredentialTtl(duration("turn-credential-ttl", v))),
            new Option(
                    "join-token-secret",
                    "HMAC secret for join tokens; when set, every join needs a token",
                    "",
                    (b, v) -> b.joinTokenSecret(v.isEmpty() ? null : v)),
            new Option(
                    "automerge-repo",
                    "on: also serve automerge-repo clients at ws://HOST:PORT/automerge-repo; off: refuse that path",
                    "on",
                    (b, v) -> {
                        if (!v.equals("on") && !v.equals("off")) {
                            throw new IllegalArgumentException("must be on or off but is '" + v + "'");
                        }
                    }),
            new Option(
                    "data",
                    "directory where the automerge-repo endpoint stores documents (crash-safe); unset: memory only",
                    "",
                    (b, v) -> repo(b, r -> r.dataDirectory(v.isEmpty() ? null : Path.of(v)))),
            new Option(
                    "repo-token-secret",
                    "HMAC secret (16+ characters) for automerge-repo access tokens; when set, clients need ?token=",
                    "",
                    (b, v) -> repo(
                            b,
                            r -> r.accessPolicy(
                                    v.isEmpty()
                                            ? RepoAccessPolicy.OPEN
                                            : new RepoAccessTokens(v, Clock.systemUTC()).policy()))),
            new Option(
                    "repo-token-audience",
                    "this deployment's name: tokens must carry it as \"aud\" (needs --repo-token-secret); unset:"
                            + " tokens with an \"aud\" are refused",
                    "",
                    // Built after every option is read, with --repo-token-secret: see parse.
                    (b, v) -> {}),
            new Option(
                    "repo-max-message-bytes",
                    "largest automerge-repo message in bytes (a whole document may travel in one)",
                    "" + RepoServerSettings.DEFAULT_MAX_MESSAGE_BYTES,
                    (b, v) -> repo(b, r -> r.maxMessageBytes(integer("repo-max-message-bytes", v)))),
            new Option(
                    "repo-max-documents-per-connection",
                    "automerge-repo documents one connection may have open; one more closes it",
                    "" + RepoServerSettings.DEFAULT_MAX_DOCUMENTS_PER_CONNECTION,
                    (b, v) ->
                            repo(b, r -> r.maxDocumentsPerConnection(integer("repo-max-documents-per-connection", v)))),
            new Option(
                    "repo-max-queued-bytes",
                    "bytes waiting to be sent to one automerge-repo client before it is closed as not reading",
                    "" + RepoServerSettings.DEFAULT_MAX_QUEUED_BYTES,
                    (b, v) -> repo(b, r -> r.maxQueuedBytes(whole("repo-max-queued-bytes", v)))),
            new Option(
                    "repo-message-rate",
                    "automerge-repo messages per connection, perSecond/burst",
                    RepoServerSettings.DEFAULT_MESSAGES_PER_SECOND + "/" + RepoServerSettings.DEFAULT_MESSAGE_BURST,
                    (b, v) -> {
                        RateLimit rate = RateLimit.parse(v);
                        repo(b, r -> r.messageRate(rate.perSecond(), rate.burst()));
                    }),
            new Option(
                    "repo-join-timeout",
                    "time allowed from connect to an automerge-repo join",
                    text(RepoServerSettings.DEFAULT_JOIN_TIMEOUT),
                    (b, v) -> repo(b, r -> r.joinTimeout(duration("repo-join-timeout", v)))),
            new Option(
                    "repo-max-ephemeral-bytes",
                    "largest data of an automerge-repo ephemeral message (presence); a larger one closes its sender",
                    "" + RepoServerSettings.DEFAULT_MAX_EPHEMERAL_BYTES,
                    (b, v) -> repo(b, r -> r.maxEphemeralBytes(integer("repo-max-ephemeral-bytes", v)))),
            new Option(
                    "repo-max-open-change-logs",
                    "change logs of --data documents kept open at once (file descriptors); the least recent closes",
                    "" + RepoServerSettings.DEFAULT_MAX_OPEN_CHANGE_LOGS,
                    (b, v) -> repo(b, r -> r.maxOpenChangeLogs(integer("repo-max-open-change-logs", v)))),
            new Option(
                    "repo-compact-every",
                    "changes appended to a --data document's log before it is compacted into a snapshot",
                    "" + RepoServerSettings.DEFAULT_COMPACT_EVERY,
                    (b, v) -> repo(b, r -> r.compactEvery(integer("repo-compact-every", v)))),
            new Option(
                    "repo-peer-id",
                    "the peer id the automerge-repo endpoint answers join with",
                    RepoServerSettings.DEFAULT_PEER_ID,
                    (b, v) -> repo(b, r -> r.peerId(v))),
            new Option(
                    "closed-rooms",
                    "comma-separated room=owner-did:key pairs; a join into one needs an invite from its owner",
                    "",
                    // Built after every option is read, with --closed-rooms-revocations: see parse.
                    (b, v) -> {}),
            new Option(
                    "closed-rooms-revocations",
                    "directory keeping each closed room's revocations (ROOM.revocations: read at start, appended to with each new one its members pass on)",
                    "",
                    (b, v) -> {}),
            new Option(
                    "inspect",
                    "on: show the rooms and connections read-only on a local inspection socket (ensemble-shell --pid"
                            + " PID); a bare --inspect is on",
                    "off",
                    (b, v) -> {
                        if (!v.equals("on") && !v.equals("off")) {
                            throw new IllegalArgumentException("must be on or off but is '" + v + "'");
                        }
                        b.inspect(v.equals("on"));
                    }),
            new Option(
                    "redis",
                    "run as one node of a cluster sharing this Redis: redis://[:password@]host:port[/db] or rediss://...",
                    "",
                    (b, v) -> b.redisUri(v.isEmpty() ? null : v)));

    private Main() {}

    /** Parses the options, starts the server, and runs until the process is stopped (Ctrl-C, SIGTERM). */
    public static void main(String[] args) throws InterruptedException {
        SignalingServerConfig config;
        try {
            if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
                printUsage(System.out);
                return;
            }
            config = parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("signaling-server: " + e.getMessage());
            System.err.println("Run with --help to list the options.");
            System.exit(2);
            return;
        }
        SignalingServer server = new SignalingServer(config);
        try {
            server.start();
        } catch (IOException e) {
            System.err.println("signaling-server: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("signaling server listening on " + server.uri()
                + (server.metricsPort() < 0
                        ? ""
                        : ", health and metrics on http://" + config.host() + ":" + server.metricsPort()
                                + "/healthz and /metrics")
                + (server.clusterNodeId() == null ? "" : ", cluster node " + server.clusterNodeId())
                + (config.automergeRepo() == null ? "" : ", automerge-repo clients at " + server.automergeRepoUri()));
        if (server.inspectionSocket() != null) {
            System.out.println("inspect it: ensemble-shell --pid "
                    + ProcessHandle.current().pid() + " (socket " + server.inspectionSocket() + ")");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.stop(Duration.ofSeconds(5));
                            stopped.countDown();
                        },
                        "signaling-shutdown"));
        stopped.await();
    }

    /**
     * Builds a configuration from {@code --name value} arguments over environment variables.
     *
     * @throws IllegalArgumentException naming an unknown option, a missing value or an invalid one
     */
    static SignalingServerConfig parse(String[] args, Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Option option : OPTIONS) {
            String fromEnvironment = environment.get(option.environmentVariable());
            if (fromEnvironment != null) {
                values.put(option.name(), fromEnvironment);
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name;
            String value;
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected an option like --port but got '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(2, equals);
                value = arg.substring(equals + 1);
            } else if (arg.equals("--inspect") && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
                // The one switch: "--inspect" alone means on (as the shell's help says to run it).
                name = "inspect";
                value = "on";
            } else {
                name = arg.substring(2);
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            if (find(name) == null) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            values.put(name, value);
        }
        SignalingServerConfig.Builder builder = SignalingServerConfig.builder();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            Option option = find(entry.getKey());
            try {
                option.apply().accept(builder, entry.getValue().trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--" + option.name() + " (or " + option.environmentVariable() + "): " + e.getMessage(), e);
            }
        }
        String audience = values.getOrDefault("repo-token-audience", "").trim();
        if (!audience.isEmpty()) {
            String secret = values.getOrDefault("repo-token-secret", "").trim();
            if (secret.isEmpty()) {
                throw new IllegalArgumentException(
                        "--repo-token-audience needs --repo-token-secret: an audience is checked in signed tokens");
            }
            RepoAccessTokens tokens;
            try {
                tokens = new RepoAccessTokens(secret, Clock.systemUTC()).withAudience(audience);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--repo-token-audience (or " + ENV_PREFIX + "REPO_TOKEN_AUDIENCE): " + e.getMessage(), e);
            }
            repo(builder, r -> r.accessPolicy(tokens.policy()));
        }
        if ("off".equals(values.get("automerge-repo"))) {
            builder.automergeRepo(null);
        }
        String closedRooms = values.getOrDefault("closed-rooms", "").trim();
        String revocations = values.getOrDefault("closed-rooms-revocations", "").trim();
        if (!closedRooms.isEmpty()) {
            try {
                builder.joinAuthorizer(InviteJoinAuthorizer.parse(
                        closedRooms, Clock.systemUTC(), revocations.isEmpty() ? null : Path.of(revocations)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--closed-rooms: " + e.getMessage(), e);
            }
        } else if (!revocations.isEmpty()) {
            throw new IllegalArgumentException("--closed-rooms-revocations needs --closed-rooms");
        }
        return builder.build();
    }

    /** Changes one automerge-repo setting; "off" is applied after every option, so this never meets null. */
    private static void repo(SignalingServerConfig.Builder builder, UnaryOperator<RepoServerSettings.Builder> change) {
        builder.automergeRepo(
                change.apply(builder.automergeRepoSoFar().toBuilder()).build());
    }

    static void printUsage(PrintStream out) {
        out.println("Usage: java -jar signaling-server.jar [--option value]...");
        out.println();
        out.println("Ensemble signaling server: identity handshake, rooms, signal and data relay over WebSocket,"
                + "\nand an automerge-repo sync server on the same port (path /automerge-repo).");
        out.println("Every option can also be set with the environment variable shown; the command line wins.");
        out.println();
        for (Option option : OPTIONS) {
            out.printf("  --%-28s %s%n", option.name() + " <value>", option.description());
            out.printf(
                    "  %-30s env %s, default %s%n",
                    "",
                    option.environmentVariable(),
                    option.defaultValue().isEmpty() ? "(none)" : option.defaultValue());
        }
        out.println("  --help                         show this help");
    }

    private static Option find(String name) {
        for (Option option : OPTIONS) {
            if (option.name().equals(name)) {
                return option;
            }
        }
        return null;
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number but is '" + value + "'", e);
        }
    }

    private static long whole(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number but is '" + value + "'", e);
        }
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    /** Parses {@code 250ms}, {@code 10s}, {@code 5m}, {@code 24h} or an ISO-8601 duration such as {@code PT10S}. */
    static Duration duration(String name, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("pt") || text.startsWith("p")) {
                return Duration.parse(value.trim());
            }
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            switch (text.charAt(text.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(amount);
                case 'm':
                    return Duration.ofMinutes(amount);
                case 'h':
                    return Duration.ofHours(amount);
                default:
                    break;
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(
                    "must be a duration like 250ms, 10s, 5m, 24h or PT10S but is '" + value + "'", e);
        }
        throw new IllegalArgumentException(
                "must be a duration like 250ms, 10s, 5m, 24h or PT10S but is '" + value + "'");
    }

    private static String text(Duration duration) {
        if (duration.toMillis() % 1000 != 0) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    private record Option(
            String name,
            String description,
            String defaultValue,
            BiConsumer<SignalingServerConfig.Builder, String> apply) {
        String environmentVariable() {
            return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }
}
