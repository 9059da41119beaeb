package dev.ensemble.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.testkit.Await;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command layer end to end over a real Unix-domain socket, against {@link ScriptedPiano}: what
 * the shell sends (the requests the server records) and what it prints.
 */
class ShellOverSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ScriptedInspectionServer server;
    private InspectionClient client;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void close() throws IOException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Shell attach(ShellOptions.Format format) throws Exception {
        server = ScriptedInspectionServer.piano(dir.resolve("piano.sock"));
        client = InspectionClient.attach(LocalSocketAttacher.forSocket(server.path()), JSON);
        return new Shell(client, JSON, format, new PrintWriter(out), new PrintWriter(err), 1);
    }

    private String takeOut() {
        String text = out.toString();
        out.getBuffer().setLength(0);
        return text;
    }

    private String takeErr() {
        String text = err.toString();
        err.getBuffer().setLength(0);
        return text;
    }

    @Test
    void cdMovesThroughRelativeAndAbsolutePathsAndThePromptFollows() throws Exception {
        Shell shell = attach(ShellOptions.Format.TEXT);
        assertEquals("piano:/> ", shell.prompt());
        assertEquals(Shell.Outcome.OK, shell.execute("cd piano/room"));
        assertEquals("piano:/piano/room> ", shell.prompt());
        assertEquals(Shell.Outcome.OK, shell.execute("cd .."));
        assertEquals("/piano", shell.cwd());
        assertEquals(Shell.Outcome.OK, shell.execute("cd /piano//room/"));
        assertEquals("/piano/room", shell.cwd());
        assertEquals(Shell.Outcome.OK, shell.execute("cd"));
        assertEquals("/", shell.cwd());
        assertEquals(Shell.Outcome.OK, shell.execute("pwd"));
        assertEquals("/\n", takeOut());
    }

    @Test
    void cdToAMissingPathFailsAndStays() throws Exception {
        Shell shell = attach(ShellOptions.Format.TEXT);
        shell.execute("cd /piano");
        assertEquals(Shell.Outcome.FAILED, shell.execute("cd roomz"));
        assertEquals("no actor or namespace at /piano/roomz\n", takeErr());
        assertEquals("/piano", shell.cwd());
    }

    @Test
    void lsSendsTheResolvedPathAndPrintsNames() throws Exception {
        Shell shell = attach(ShellOptions.Format.TEXT);
        shell.execute("cd /piano");
        assertEquals(Shell.Outcome.OK, shell.execute("ls"));
        assertEquals("audio\nroom/\n", takeOut());
        assertEquals(Shell.Outcome.OK, shell.execute("ls -l room"));
        String table = takeOut();
        assertTrue(table.startsWith("NAME      KIND   TYPE        STATUS"), table);
        assertTrue(table.contains("presence  actor  AudioActor  running "), table);
        JsonNode last = server.requests("ls").get(server.requests("ls").size() - 1);
        assertEquals("/piano/room", last.path("path").asText());
        assertTrue(last.path("long").asBoolean());
        assertTrue(last.path("id").canConvertToLong());
    }

    @Test
    void treeCatAndActionsRender() throws Exception {
        Shell shell = attach(ShellOptions.Format.TEXT);
        shell.execute("tree /piano");
        assertEquals("/piano\n├── audio\n└── room/\n    ├── notes\n    └── presence\n", takeOut());
        shell.execute("cd /piano");
        shell.execute("cat audio");
        assertEquals("{\n  \"muted\" : false,\n  \"volume\" : 7\n}\n", takeOut());
        shell.execute("actions audio");
        assertEquals("tell  mute(muted: boolean) -> void\nask   volume() -> Integer\n", takeOut());
    }

    @Test
    void sendParsesJsonArgumentsAndPrintsAnAsksReply() throws Exception {
        Shell shell = attach(ShellOptions.Format.TEXT);
        assertEquals(Shell.Outcome.OK, shell.execute("send /piano/audio mute true"));
        assertEquals("sent mute to /piano/audio\n", takeOut());
        assertEquals(Shell.Outcome.OK, shell.execute("send /piano/audio volume '{\"a\": [1, \"x y\"]}' '\"s\"'"));
        assertEquals("7\n", takeOut());
        List<JsonNode> sends = server.requests("send");
        assertEquals("[true]", sends.get(0).path("args").toString());
        assertEquals("[{\"a\":[1,\"x y\"]},\"s\"]", sends.get(1).path("args").toString());
    }

    @Test
    void malformedJsonIsRefusedBeforeAnythingIsSent() throws Exception {
        Shell shell = attach(ShellOptions.Format.TEXT);
        assertEquals(Shell.Outcome.FAILED, shell.execute("send /piano/audio mute true {note:60}"));
        String error = takeErr();
        assertTrue(error.startsWith("argument 2 of send is not JSON: {note:60} ("), error);
        assertTrue(error.endsWith("nothing was sent\n"), error);
        assertEquals(Shell.Outcome.FAILED, shell.execute("send /piano/audio mute hello"));
        assertTrue(takeErr().startsWith("argument 1 of send is not JSON: hello ("));
        assertEquals(List.of(), server.requests("send"));
    }

    @Test
    void errorsOfTheProcessAndUnknownCommandsFail() throws Exception {
        Shell shell = attach(ShellOptions.Format.TEXT);
        assertEquals(Shell.Outcome.FAILED, shell.execute("send /piano/audio play 60"));
        assertEquals("/piano/audio has no action play\n", takeErr());
        assertEquals(Shell.Outcome.FAILED, shell.execute("frobnicate /x"));
        assertEquals("unknown command \"frobnicate\"; try help\n", takeErr());
        assertEquals(Shell.Outcome.FAILED, shell.execute("ls -x"));
        assertEquals("ls: unknown flag -x; usage: ls [-l] [PATH]\n", takeErr());
        assertEquals(Shell.Outcome.FAILED, shell.execute("trace --max zero"));
        assertEquals(
                "trace: --max must be a positive integer, not \"zero\"; usage: trace [PATH] [--max N] [--seconds S]\n",
                takeErr());
        assertEquals(Shell.Outcome.EXIT, shell.execute("quit"));
        assertEquals("", takeOut());
    }

    @Test
    void helpListsEveryCommandWithItsUsage() throws Exception {
        Shell shell = attach(ShellOptions.Format.TEXT);
        assertEquals(Shell.Outcome.OK, shell.execute("help"));
        String help = takeOut();
        assertEquals(ShellCommand.ALL.size(), help.lines().count(), help);
        List<String> lines = help.lines().toList();
        // summaries start in one column, two spaces after the longest usage
        int column = "history [PATH] [-n N] | history on|off".length() + 2;
        for (int i = 0; i < lines.size(); i++) {
            ShellCommand command = ShellCommand.ALL.get(i);
            assertTrue(lines.get(i).startsWith(command.usage()), lines.get(i));
            assertEquals(column, lines.get(i).indexOf(command.summary()), lines.get(i));
        }
        assertEquals("exit | quit" + " ".repeat(column - 11) + "leave the shell", lines.get(lines.size() - 1));
        assertEquals(List.of(), server.requests());
    }

    @Test
    void traceStreamsOneLinePerMessageThenItsEnd() throws Exception {
        Shell shell = attach(ShellOptions.Format.TEXT);
        shell.execute("cd /piano");
        assertEquals(Shell.Outcome.OK, shell.execute("trace audio --max 3 --seconds 5"));
        assertEquals(
                ""
                        + "12:00:01.250 /piano/room/notes -> /piano/audio tell play([60, 100]) queued 12µs took 34µs succeeded\n"
                        + "12:00:01.250 /piano/room/notes -> /piano/audio tell play([61, 100]) queued 12µs took 34µs succeeded\n"
                        + "12:00:01.250 /piano/room/notes -> /piano/audio tell play([62, 100]) queued 12µs took 34µs succeeded\n"
                        + "trace ended (max): 3 event(s)\n",
                takeOut());
        JsonNode trace = server.requests("trace").get(0);
        assertEquals("/piano/audio", trace.path("path").asText());
        assertEquals(3, trace.path("max").asInt());
        assertEquals(5, trace.path("seconds").asInt());
    }

    @Test
    void jsonFormatPrintsTheProtocolsObjectsAndErrors() throws Exception {
        Shell shell = attach(ShellOptions.Format.JSON);
        shell.execute("cd /piano");
        shell.execute("trace audio --max 1");
        shell.execute("cat /nope");
        shell.execute("pwd");
        String[] lines = takeOut().split("\n");
        assertEquals("{\"path\":\"/piano\"}", lines[0]);
        assertEquals(ScriptedPiano.trace(0), JSON.readTree(lines[1]));
        assertEquals(JSON.readTree("{\"ended\":\"max\",\"count\":1,\"dropped\":0}"), JSON.readTree(lines[2]));
        assertEquals(
                JSON.readTree("{\"error\":{\"code\":\"no-such-path\",\"message\":\"no actor or namespace at /nope\"}}"),
                JSON.readTree(lines[3]));
        assertEquals("{\"path\":\"/piano\"}", lines[4]);
        assertEquals(5, lines.length);
        assertEquals("", takeErr());
    }

    @Test
    void historyAndItsSwitch() throws Exception {
        Shell shell = attach(ShellOptions.Format.TEXT);
        assertEquals(Shell.Outcome.OK, shell.execute("history off"));
        assertEquals("history off\n", takeOut());
        assertEquals("off", server.requests("history").get(0).path("switch").asText());
        assertEquals(Shell.Outcome.OK, shell.execute("history /piano -n 5"));
        assertTrue(takeOut().startsWith("history on, capacity 1000, 1 message(s)\n12:00:01.250 "));
        JsonNode request = server.requests("history").get(1);
        assertEquals("/piano", request.path("path").asText());
        assertEquals(5, request.path("n").asInt());
    }

    @Test
    void topRefreshesAtMostOnceASecond() throws Exception {
        Shell shell = attach(ShellOptions.Format.TEXT);
        long started = System.nanoTime();
        assertEquals(Shell.Outcome.OK, shell.execute("top -n 2"));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(2, server.requests("top").size());
        assertTrue(elapsedMs >= 1000, "two refreshes took only " + elapsedMs + " ms");
        assertTrue(takeOut().startsWith("top at 12:00:01.250\nPATH "));
    }

    @Test
    void interruptCancelsAWatchAndReturns() throws Exception {
        Shell shell = attach(ShellOptions.Format.TEXT);
        CompletableFuture<Shell.Outcome> watch =
                CompletableFuture.supplyAsync(() -> shell.execute("watch /piano/audio"));
        Await.until("the first state is printed", () -> out.toString().contains("\"volume\":7"), out::toString);
        shell.interrupt();
        assertEquals(Shell.Outcome.OK, watch.get());
        assertEquals("12:00:01.250 {\"muted\":false,\"volume\":7}\nwatch ended (cancelled): 1 event(s)\n", takeOut());
        JsonNode cancel = server.requests("cancel").get(0);
        assertEquals(
                server.requests("watch").get(0).path("id").asLong(),
                cancel.path("target").asLong());
    }

    @Test
    void aProcessThatGoesAwayMidCommandIsReported() throws Exception {
        Shell shell = attach(ShellOptions.Format.TEXT);
        assertEquals(Shell.Outcome.DISCONNECTED, shell.execute("cat /piano/vanishing"));
        assertEquals("the process closed the connection\n", takeErr());
        assertEquals(Shell.Outcome.DISCONNECTED, shell.execute("ls"));
    }

    @Test
    void aProcessThatGoesAwayMidTraceEndsTheTraceWithTheReason() throws Exception {
        Shell shell = attach(ShellOptions.Format.TEXT);
        assertEquals(Shell.Outcome.DISCONNECTED, shell.execute("trace /piano/room/notes"));
        assertEquals(
                "12:00:01.250 /piano/room/notes -> /piano/audio tell play([60, 100]) queued 12µs took 34µs succeeded\n",
                takeOut());
        assertEquals("the process closed the connection\n", takeErr());
    }

    @Test
    void attachRefusesAnUnknownProtocolVersion() throws Exception {
        server = ScriptedInspectionServer.start(
                dir.resolve("v2.sock"),
                "{\"type\":\"hello\",\"protocol\":2,\"system\":\"x\",\"pid\":1,\"access\":\"read\"}",
                (request, connection) -> {});
        AttachException e = assertThrows(
                AttachException.class,
                () -> InspectionClient.attach(LocalSocketAttacher.forSocket(server.path()), JSON));
        assertEquals(
                server.path() + " speaks inspection protocol 2; this shell speaks 1"
                        + " (use an ensemble-shell of the process's version)",
                e.getMessage());
        Await.until("the shell hangs up", () -> server.openConnections() == 0);
    }

    @Test
    void attachRefusesAPeerWhoseFirstLineIsNoHello() throws Exception {
        server = ScriptedInspectionServer.start(dir.resolve("odd.sock"), "{\"hi\":1}", (request, connection) -> {});
        AttachException e = assertThrows(
                AttachException.class,
                () -> InspectionClient.attach(LocalSocketAttacher.forSocket(server.path()), JSON));
        assertEquals(
                "attaching to " + server.path() + " failed: the first line is not the protocol's hello: {\"hi\":1}",
                e.getMessage());
    }

    @Test
    void attachToAMissingSocketSaysSo() {
        Path missing = dir.resolve("none.sock");
        AttachException e = assertThrows(
                AttachException.class, () -> InspectionClient.attach(LocalSocketAttacher.forSocket(missing), JSON));
        assertEquals("no inspection socket at " + missing, e.getMessage());
    }

    @Test
    void attachByAPidWithoutSocketSaysHowToEnableInspection() {
        AttachException e = assertThrows(AttachException.class, () -> LocalSocketAttacher.forPid(Long.MAX_VALUE));
        assertEquals(
                "no inspection socket for process " + Long.MAX_VALUE
                        + "; is inspection enabled (the piano: without --no-inspect)?",
                e.getMessage());
    }
}
