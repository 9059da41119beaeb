package dev.ensemble.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.collab.repo.DocumentId;
import dev.ensemble.collab.repo.server.RepoServerSettings;
import dev.ensemble.signaling.server.SignalingServer;
import dev.ensemble.signaling.server.SignalingServerConfig;
import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.process.ChildProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line against our server on 127.0.0.1, in this JVM. */
class DocCliTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path temp;

    private SignalingServer server;
    private String url;

    @BeforeEach
    void startServer() throws Exception {
        server = new SignalingServer(SignalingServerConfig.loopback()
                        .automergeRepo(RepoServerSettings.builder()
                                .dataDirectory(temp.resolve("data"))
                                .build())
                        .build())
                .start();
        url = server.automergeRepoUri().toString();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** One run: exit code, stdout, stderr. */
    private record Run(int code, String out, String err) {}

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DocCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                code,
                out.toString(StandardCharsets.UTF_8).trim(),
                err.toString(StandardCharsets.UTF_8).trim());
    }

    @Test
    void createsReadsAndChangesADocument() throws Exception {
        Run created = run("new", "{\"title\":\"hello\",\"items\":[{\"n\":1}]}", "--server", url);
        assertEquals(0, created.code(), created.err());
        assertTrue(created.out().startsWith("automerge:"), created.out());

        Run read = run("get", created.out(), "--server", url);
        assertEquals(0, read.code(), read.err());
        assertEquals(MAPPER.readTree("{\"title\":\"hello\",\"items\":[{\"n\":1}]}"), MAPPER.readTree(read.out()));

        assertEquals(
                0,
                run("set", created.out(), "title", "\"changed\"", "--server", url)
                        .code());
        assertEquals(
                0, run("set", created.out(), "/items/0/n", "2", "--server", url).code());
        assertEquals(
                MAPPER.readTree("{\"title\":\"changed\",\"items\":[{\"n\":2}]}"),
                MAPPER.readTree(run("get", created.out(), "--server", url).out()));
    }

    @Test
    void anUnknownDocumentIsUnavailableWithExitCodeTwo() {
        // The server answers doc-unavailable at once; the timeout only bounds a server that never
        // answers, and 5 s was not enough for a first run's connection and start-up on a loaded
        // machine (the CLI then said "no answer" instead).
        Run read = run("get", DocumentId.random().url().toString(), "--server", url, "--timeout", "60");
        assertEquals(2, read.code(), read.toString());
        assertTrue(read.err().startsWith("ensemble-doc: unavailable: the server has no document"), read.err());
    }

    @Test
    void watchPrintsTheDocumentAndEachChange() throws Exception {
        String doc = run("new", "{\"n\":1}", "--server", url).out();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Integer> watching = CompletableFuture.supplyAsync(() -> DocCli.run(
                new String[] {"watch", doc, "--server", url, "--seconds", "8"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        Await.until(
                "watch prints the document",
                () -> out.toString(StandardCharsets.UTF_8).contains("{\"n\":1}"));
        assertEquals(0, run("set", doc, "n", "2", "--server", url).code());
        Await.until(
                "watch prints the change",
                () -> out.toString(StandardCharsets.UTF_8).contains("{\"n\":2}"),
                () -> out.toString(StandardCharsets.UTF_8));
        assertEquals(0, watching.get());
        assertEquals(
                "{\"n\":1}\n{\"n\":2}", out.toString(StandardCharsets.UTF_8).trim());
    }

    @Test
    void worksAgainstTheReferenceNodeSyncServer() throws Exception {
        // The reference server and its pinned packages live with the interop tests of ensemble-transport-ws.
        Path scripts = Path.of("../ensemble-transport-ws/src/test/node/automerge-repo")
                .toAbsolutePath()
                .normalize();
        boolean hasNode = ChildProcess.findOnPath("node").isPresent();
        boolean packages = Files.isDirectory(scripts.resolve("node_modules/@automerge/automerge-repo"));
        if ("true".equals(System.getenv("CI")) && !(hasNode && packages)) {
            throw new IllegalStateException("CI must provide node and the packages of " + scripts);
        }
        assumeTrue(hasNode && packages, "node and the automerge-repo packages are needed");
        try (ChildProcess reference = ChildProcess.builder(List.of(
                        "node",
                        scripts.resolve("sync-server.mjs").toString(),
                        temp.resolve("node-data").toString()))
                .start(temp, "node-sync-server")) {
            String listening = reference.awaitLine("the reference server listens", l -> l.startsWith("listening "));
            String node = "ws://127.0.0.1:"
                    + listening.substring("listening ".length()).trim();
            Run created = run("new", "{\"a\":\"b\",\"n\":2}", "--server", node);
            assertEquals(0, created.code(), created.err());
            assertEquals(
                    0, run("set", created.out(), "/n", "5", "--server", node).code());
            assertEquals(
                    MAPPER.readTree("{\"a\":\"b\",\"n\":5}"),
                    MAPPER.readTree(run("get", created.out(), "--server", node).out()));
            Run unknown = run("get", DocumentId.random().url().toString(), "--server", node, "--timeout", "10");
            assertEquals(2, unknown.code(), unknown.toString());
        }
    }

    @Test
    void wrongUsageIsExplainedWithExitCode64() {
        Run none = run("get", "automerge:x");
        assertEquals(64, none.code());
        assertTrue(none.err().startsWith("ensemble-doc: --server WS_URL is required"), none.err());
        Run unknown = run("frobnicate", "--server", url);
        assertEquals(64, unknown.code());
        assertTrue(unknown.err().startsWith("ensemble-doc: unknown command frobnicate"), unknown.err());
        Run notObject = run("new", "[1]", "--server", url);
        assertEquals(64, notObject.code());
        assertEquals("ensemble-doc: a document is a JSON object, but got [1]", notObject.err());
    }
}
