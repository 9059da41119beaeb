package dev.ensemble.testkit.process;

import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@code redis-server} a test starts for itself on a free 127.0.0.1 port, with no persistence
 * (no RDB snapshots, no append-only file): it holds only what the test wrote since it started.
 * The test can {@link #stop()} it and {@link #restart()} it on the same port, as a Redis outage
 * that clients must ride out.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start(dir)) {
 *     URI uri = redis.uri();                  // redis://127.0.0.1:<port>
 *     ...
 *     redis.stop();                           // SIGKILL: clients see their connections reset
 *     redis.restart();                        // same port, empty data
 * }
 * }</pre>
 *
 * <p>It needs Debian's {@code redis-server} package on {@code PATH} (the project's CI installs
 * it). Without it {@link #start} fails the test with a message that names the package: a test of
 * the Redis cluster must not pass by skipping.
 *
 * <p>Threading: not thread-safe; start, stop and restart it from the test's thread.
 */
public final class RedisServer implements AutoCloseable {

    /** The program, and the Debian package that has it. */
    public static final String PROGRAM = "redis-server";

    /** How long a start may take before the test fails: a fresh process on a busy machine. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path directory;
    private final Path program;
    private final int port;
    private ChildProcess process;
    private int starts;

    private RedisServer(Path directory, Path program, int port) {
        this.directory = directory;
        this.program = program;
        this.port = port;
    }

    /**
     * Starts {@code redis-server} on a free port and waits until it answers {@code PING}.
     *
     * @param directory the test's directory: the server's output goes to {@code redis-N.out} there,
     *     and it is the server's working directory
     * @return the running server
     * @throws AssertionError if {@code redis-server} is not on {@code PATH} or does not answer in
     *     {@link #START_TIMEOUT}
     */
    public static RedisServer start(Path directory) throws IOException {
        Path program = ChildProcess.findOnPath(PROGRAM)
                .orElseThrow(() -> new AssertionError(PROGRAM + " is not on PATH: this test needs a real Redis;"
                        + " install the Debian package " + PROGRAM + " (apt-get install redis-server;"
                        + " .ci/run installs it)"));
        RedisServer redis = new RedisServer(Objects.requireNonNull(directory, "directory"), program, FreePorts.tcp());
        redis.launch();
        return redis;
    }

    /**
     * @return the port it listens on, the same across restarts
     */
    public int port() {
        return port;
    }

    /**
     * @return {@code redis://127.0.0.1:PORT}, for a Redis client
     */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * @return whether the server process runs
     */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Kills the server (SIGKILL, as a crash or a lost machine would) and waits until it is gone;
     * its clients' connections are reset. Does nothing if it is not running.
     */
    public void stop() throws InterruptedException {
        if (isRunning()) {
            process.kill();
        }
    }

    /**
     * Starts a new server process on the same port, empty, and waits until it answers {@code PING}.
     *
     * @throws IllegalStateException if it still runs: {@link #stop()} it first
     */
    public void restart() throws IOException {
        if (isRunning()) {
            throw new IllegalStateException("redis-server on port " + port + " still runs; stop() it first");
        }
        launch();
    }

    /**
     * Sends one command in Redis's inline form and reads the one-line reply.
     *
     * @param command e.g. {@code "PING"} or {@code "PUBLISH channel payload"} (no spaces inside arguments)
     * @return the reply's first line, e.g. {@code "+PONG"} or {@code ":1"}
     * @throws IOException if the server cannot be reached
     */
    public String command(String command) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }
    }

    /**
     * @return the server's output so far, for failure messages
     */
    public String describe() {
        return process == null ? PROGRAM + " on port " + port + " (not started)" : process.describe();
    }

    /** Kills the server if it runs; never fails. */
    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }

    private void launch() throws IOException {
        starts++;
        process = ChildProcess.builder(List.of(
                        program.toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        directory.toAbsolutePath().toString()))
                .start(directory, "redis-" + starts);
        ChildProcess started = process;
        Await.until("redis-server on port " + port + " answers PING", START_TIMEOUT, () -> {
            if (!started.isAlive()) {
                throw new AssertionError("redis-server on port " + port + " exited\n" + started.describe());
            }
            try {
                return "+PONG".equals(command("PING"));
            } catch (IOException e) {
                return false;
            }
        });
    }
}
