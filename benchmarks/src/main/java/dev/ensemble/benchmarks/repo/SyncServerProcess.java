package dev.ensemble.benchmarks.repo;

import dev.ensemble.signaling.server.Main;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One automerge-repo sync server of the suite, in a process of its own with its storage in a
 * directory of the run: ours (the signaling server's jar with {@code --data}) or the reference Node
 * server ({@code sync-server.mjs}, NodeFS storage). Not thread-safe: the suite's thread uses it.
 */
final class SyncServerProcess implements AutoCloseable {
    /** Our server's JVM: a fixed heap, and warnings only (its log would otherwise fill the output file). */
    static final List<String> JVM_FLAGS =
            List.of("-Xms256m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern REPO_URI =
            Pattern.compile("automerge-repo clients at ws://127\\.0\\.0\\.1:(\\d+)(/\\S*)");

    private final String name;
    private final ChildProcess process;
    private final int port;
    private final String path;

    private SyncServerProcess(String name, ChildProcess process, int port, String path) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.path = path;
    }

    /**
     * Starts our server: {@code java -jar signalingJar} if that jar exists, else its main class from
     * this class path (the same code: the benchmarks jar includes the server).
     */
    static SyncServerProcess ensemble(Path signalingJar, Path dataDirectory, Path logDirectory, String name)
            throws IOException {
        List<String> serverArgs = List.of(
                "--host", "127.0.0.1", "--port", "0", "--metrics-port", "-1", "--data", dataDirectory.toString());
        List<String> command;
        if (signalingJar != null && Files.isRegularFile(signalingJar)) {
            command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(JVM_FLAGS);
            command.add("-jar");
            command.add(signalingJar.toString());
            command.addAll(serverArgs);
        } else {
            command = JavaCommand.of(Main.class)
                    .jvmOptions(JVM_FLAGS.toArray(String[]::new))
                    .args(serverArgs)
                    .toList();
        }
        ChildProcess process = ChildProcess.builder(command).start(logDirectory, name);
        try {
            String line = process.awaitLine(
                    "the automerge-repo address",
                    START_TIMEOUT,
                    l -> REPO_URI.matcher(l).find());
            Matcher uri = REPO_URI.matcher(line);
            uri.find();
            return new SyncServerProcess(name, process, Integer.parseInt(uri.group(1)), uri.group(2));
        } catch (RuntimeException | AssertionError e) {
            process.close();
            throw e;
        }
    }

    /** Starts the reference server, {@code node sync-server.mjs dataDirectory}, from {@code nodeDirectory}. */
    static SyncServerProcess node(Path nodeDirectory, Path dataDirectory, Path logDirectory, String name)
            throws IOException {
        ChildProcess process = ChildProcess.builder(
                        List.of("node", nodeDirectory.resolve("sync-server.mjs").toString(), dataDirectory.toString()))
                .start(logDirectory, name);
        try {
            String line = process.awaitLine("the port it listens on", START_TIMEOUT, l -> l.startsWith("listening "));
            return new SyncServerProcess(
                    name,
                    process,
                    Integer.parseInt(line.substring("listening ".length()).trim()),
                    "");
        } catch (RuntimeException | AssertionError e) {
            process.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    /** The WebSocket URL of the server as seen through a proxy on {@code proxyPort}. */
    URI uriThrough(int proxyPort) {
        return URI.create("ws://127.0.0.1:" + proxyPort + path);
    }

    int port() {
        return port;
    }

    /** Fails with the server's output if it is no longer running. */
    void assertAlive() {
        process.assertAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.terminate();
        }
        process.close();
    }
}
