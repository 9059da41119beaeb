package dev.ensemble.transport.ws.repo;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ensemble.testkit.process.ChildProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Real automerge-repo peers in Node, from the scripts and pinned packages of
 * {@code src/test/node/automerge-repo} ({@code .ci/run} installs them with {@code npm install}, which follows the lock file): the
 * reference sync server, and one-shot JavaScript clients. Without {@code node} the tests are
 * skipped; without the packages they are skipped too, except in CI, where that is a failure.
 */
final class NodeRepoPeers implements AutoCloseable {
    static final Path SCRIPTS = Path.of("src/test/node/automerge-repo").toAbsolutePath();

    private final Path workDirectory;
    private final List<ChildProcess> processes = new ArrayList<>();
    private ChildProcess server;

    NodeRepoPeers(Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    /** Skips the calling test unless node and the packages are here (CI must have them). */
    static void assumeInstalled() {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean node = ChildProcess.findOnPath("node").isPresent();
        boolean packages = Files.isDirectory(SCRIPTS.resolve("node_modules/@automerge/automerge-repo"));
        if (ci && !(node && packages)) {
            throw new IllegalStateException("CI must provide node and the packages of " + SCRIPTS
                    + " (npm install there); node found: " + node + ", packages found: " + packages);
        }
        assumeTrue(node, "node is not on PATH");
        assumeTrue(packages, "the automerge-repo packages are not installed: run npm install in " + SCRIPTS);
    }

    /** Starts the reference sync server on a free port; returns its WebSocket URL. */
    URI startServer(Path dataDirectory) throws IOException {
        return startServer(dataDirectory, 0);
    }

    /** Starts the reference sync server on a port (0: a free one); returns its WebSocket URL. */
    URI startServer(Path dataDirectory, int port) throws IOException {
        ChildProcess server = ChildProcess.builder(List.of(
                        "node",
                        SCRIPTS.resolve("sync-server.mjs").toString(),
                        dataDirectory.toString(),
                        Integer.toString(port)))
                .start(workDirectory, "node-sync-server-" + processes.size());
        processes.add(server);
        this.server = server;
        String line = server.awaitLine("the sync server listens", l -> l.startsWith("listening "));
        return URI.create(
                "ws://127.0.0.1:" + line.substring("listening ".length()).trim());
    }

    /** Stops the server started last. */
    void stopServer() throws InterruptedException {
        server.terminate();
    }

    /** Starts a one-shot JavaScript client (see client.mjs). */
    ChildProcess client(String name, URI server, String... arguments) throws IOException {
        List<String> command =
                new ArrayList<>(List.of("node", SCRIPTS.resolve("client.mjs").toString(), server.toString()));
        command.addAll(List.of(arguments));
        // Process names must be unique per directory: a test may run the same client many times.
        ChildProcess client = ChildProcess.builder(command).start(workDirectory, name + "-" + processes.size());
        processes.add(client);
        return client;
    }

    /** Runs a client to its end; returns its last stdout line with the given prefix. */
    String run(String name, URI server, String prefix, String... arguments) throws IOException, InterruptedException {
        ChildProcess client = client(name, server, arguments);
        String line = client.awaitLine(name + " prints " + prefix, Duration.ofSeconds(60), l -> l.startsWith(prefix));
        client.awaitExit();
        return line.substring(prefix.length());
    }

    @Override
    public void close() {
        for (ChildProcess process : processes) {
            process.close();
        }
    }
}
