package dev.ensemble.piano.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.piano.cli.Main;
import dev.ensemble.testkit.net.NetNamespace;
import dev.ensemble.testkit.process.ChildProcess;
import dev.ensemble.testkit.process.JavaCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One player of the piano in a JVM of its own, started from the test's class path
 * ({@code java -cp ... dev.ensemble.piano.cli.Main --headless ...}) as a {@link ChildProcess},
 * with its event log ({@code --log-events}) and its console in files of a test directory. What is
 * the piano's own here is the event log: {@link #events()} parses it.
 */
public final class PeerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChildProcess child;
    private final Path log;

    private PeerProcess(ChildProcess child, Path log) {
        this.child = child;
        this.log = log;
    }

    /**
     * @param dir where the log and console files go
     * @param name the player's name (and the files' prefix)
     * @param environment extra environment variables (for example DISPLAY)
     * @param args options after {@code --name NAME --log-events FILE}
     * @return the started process
     */
    public static PeerProcess start(Path dir, String name, Map<String, String> environment, String... args)
            throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        if (!NetNamespace.inside()) {
            // Outside the CI's namespace, WebRTC would find this machine's external address: keep to 127.0.0.1.
            all.add("--relay-only");
        }
        return start(dir, name, Main.class, environment, all.toArray(String[]::new));
    }

    /**
     * A headless player that joins {@code room} on {@code server}, waits until {@code players} are in
     * it, and stays until stopped.
     *
     * @param dir where the log and console files go
     * @param name the player's name (and the files' prefix)
     * @param server the signaling server (or what stands in front of it)
     * @param room the room
     * @param players how many players the room must hold before this one plays
     * @param args more options
     * @return the started process
     */
    public static PeerProcess headless(Path dir, String name, URI server, String room, int players, String... args)
            throws IOException {
        List<String> all = new ArrayList<>(List.of(
                "--headless",
                "--server",
                server.toString(),
                "--room",
                room,
                "--wait-for-players",
                String.valueOf(players),
                "--stay"));
        all.addAll(List.of(args));
        return start(dir, name, Map.of(), all.toArray(String[]::new));
    }

    /**
     * Starts another main class of the test class path, with the same file arguments.
     *
     * @param dir where the log and console files go
     * @param name the player's name (and the files' prefix)
     * @param mainClass the class to run
     * @param environment extra environment variables (for example DISPLAY)
     * @param args options after {@code --name NAME --log-events FILE}
     * @return the started process
     */
    public static PeerProcess start(
            Path dir, String name, Class<?> mainClass, Map<String, String> environment, String... args)
            throws IOException {
        Path log = dir.resolve(name + ".jsonl");
        JavaCommand command = JavaCommand.of(mainClass)
                .jvmOptions("--add-exports", "java.desktop/com.sun.media.sound=ALL-UNNAMED", "-XX:TieredStopAtLevel=1")
                .args("--name", name, "--log-events", log.toString())
                .args(args);
        return new PeerProcess(
                ChildProcess.builder(command).environment(environment).start(dir, name), log);
    }

    public String name() {
        return child.name();
    }

    /** @return the JVM: its output, its input, how it ends */
    public ChildProcess child() {
        return child;
    }

    /** @return the complete lines of the event log so far (a line being written is left out) */
    public List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.exists(log)) {
            return events;
        }
        String text;
        try {
            text = Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return events;
        }
        for (String line : text.substring(0, end).split("\n")) {
            try {
                events.add(JSON.readTree(line));
            } catch (JsonProcessingException e) {
                throw new AssertionError(name() + " wrote a line that is not JSON: " + line, e);
            }
        }
        return events;
    }

    /** @return the events of a type that match */
    public List<JsonNode> events(String type, Predicate<JsonNode> filter) {
        return events().stream()
                .filter(e -> e.get("type").asText().equals(type))
                .filter(filter)
                .toList();
    }

    /** @return this player's own id: the first {@code joined} line of its log, or null before */
    public String id() {
        List<JsonNode> joined = events("joined", e -> true);
        return joined.isEmpty() ? null : joined.get(0).get("player").asText();
    }

    /** @return the process's console and the event log, for failure messages */
    public String console() {
        try {
            return child.describe() + "--- " + name() + " log ---\n" + (Files.exists(log) ? Files.readString(log) : "");
        } catch (IOException e) {
            return child.describe() + "--- " + name() + " log unreadable: " + e;
        }
    }

    /** @return the lines of standard output so far */
    public List<String> output() {
        return child.stdout();
    }

    /** Fails with the console if the player has ended. */
    public void assertAlive() {
        if (!child.isAlive()) {
            throw new AssertionError(name() + " ended early\n" + console());
        }
    }

    /** SIGTERM, as Ctrl-C: the player leaves, writes its files and prints its summary. */
    public int stop() throws InterruptedException {
        return child.terminate();
    }

    @Override
    public void close() {
        child.close();
    }
}
