package dev.ensemble.signaling.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * INTERNAL API. A node's three connections to its Redis (Lettuce, binary keys and values): one for
 * commands and publishing, one subscribed to channels, one for the blocking heartbeat of {@link
 * NodeLiveness}. Lettuce reconnects them by itself and subscribes the pub/sub connection's channels
 * again.
 *
 * <p>Commands fail at once while a connection is down (rather than queueing: a signal delivered
 * seconds late is worse than one lost, and the room thread learns at once that Redis is down), and
 * a lost connection is retried after 50 ms, doubling up to 1 s (Lettuce's default backs off up to
 * 30 s), so that a node is back about as fast as its heartbeat notices.
 *
 * <p>Thread-safe: Lettuce connections may be used from any thread. The connections are set once by
 * {@link #open}, before the server serves.
 */
final class RedisConnections {

    /** Longest a Redis command may take before it fails (and Redis counts as down). */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient client;
    private volatile StatefulRedisConnection<byte[], byte[]> commands;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
    private volatile StatefulRedisConnection<byte[], byte[]> heartbeat;

    /** @throws IllegalArgumentException if {@code redisUri} is not a Redis URI */
    RedisConnections(String redisUri) {
        this.uri = parse(redisUri);
        this.uri.setTimeout(COMMAND_TIMEOUT);
        // Two I/O threads: a node has three connections.
        this.resources = ClientResources.builder()
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
    }

    /**
     * Checks a Redis URI as {@code --redis} takes it.
     *
     * @throws IllegalArgumentException naming the rule (never the password)
     */
    static RedisURI parse(String redisUri) {
        Objects.requireNonNull(redisUri, "redisUri");
        if (!redisUri.startsWith("redis://") && !redisUri.startsWith("rediss://")) {
            throw new IllegalArgumentException(
                    "must be redis://[:password@]host:port[/db] or rediss://... but starts with '"
                            + redisUri.substring(0, Math.min(redisUri.length(), redisUri.indexOf(':') + 1)) + "'");
        }
        try {
            return RedisURI.create(redisUri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "must be redis://[:password@]host:port[/db] or rediss://...: " + e.getMessage(), e);
        }
    }

    /** {@code redis://host:port/db} without the password, for log lines. */
    static String describe(RedisURI uri) {
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    String describe() {
        return describe(uri);
    }

    /**
     * Connects all three; {@code onMessage} gets every pub/sub message (on a Lettuce thread),
     * {@code onDisconnected} every lost connection.
     *
     * @throws RedisException if Redis cannot be reached
     */
    void open(Consumer<byte[]> onMessage, Runnable onDisconnected) {
        commands = client.connect(ByteArrayCodec.INSTANCE);
        pubsub = client.connectPubSub(ByteArrayCodec.INSTANCE);
        heartbeat = client.connect(ByteArrayCodec.INSTANCE);
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                onMessage.accept(message);
            }
        });
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                onDisconnected.run();
            }
        });
    }

    RedisAsyncCommands<byte[], byte[]> commands() {
        return commands.async();
    }

    RedisPubSubAsyncCommands<byte[], byte[]> pubsub() {
        return pubsub.async();
    }

    /** Subscribes and waits for Redis to confirm. */
    void subscribeNow(byte[] channel) {
        pubsub.sync().subscribe(channel);
    }

    StatefulRedisConnection<byte[], byte[]> heartbeat() {
        return heartbeat;
    }

    /** Whether the command and pub/sub connections are open. */
    boolean isOpen() {
        StatefulRedisConnection<byte[], byte[]> commandConnection = commands;
        StatefulRedisPubSubConnection<byte[], byte[]> pubsubConnection = pubsub;
        return commandConnection != null
                && commandConnection.isOpen()
                && pubsubConnection != null
                && pubsubConnection.isOpen();
    }

    /** Waits (a bounded time) until Redis answered every command sent so far; false if it did not. */
    boolean flush() {
        try {
            // Redis answers a connection's commands in order: once this PING is answered, all before it were.
            commands.async().ping().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
