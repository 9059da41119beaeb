package dev.ensemble.piano.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ensemble.piano.cli.Main;
import dev.ensemble.testkit.net.NetNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One player of the piano in a JVM of its own, started from the test's class path
 * ({@code java -cp ... dev.ensemble.piano.cli.Main --headless ...}), with its event log
 * ({@code --log-events}) and its console in files of a test directory.
 */
public final class PeerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Process process;
    private final Path log;
    private final Path out;
    private final Path err;

    private PeerProcess(String name, Process process, Path log, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.out = out;
        this.err = err;
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
        return start(dir, name, Main.class.getName(), environment, all.toArray(String[]::new));
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
            Path dir, String name, String mainClass, Map<String, String> environment, String... args)
            throws IOException {
        Path log = dir.resolve(name + ".jsonl");
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports",
                "java.desktop/com.sun.media.sound=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass,
                "--name",
                name,
                "--log-events",
                log.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        return new PeerProcess(name, builder.start(), log, out, err);
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
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
                throw new AssertionError(name + " wrote a line that is not JSON: " + line, e);
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

    public String console() {
        try {
            return "--- " + name + " stdout ---\n" + (Files.exists(out) ? Files.readString(out) : "")
                    + "--- " + name + " stderr (tail) ---\n" + tail(Files.exists(err) ? Files.readString(err) : "")
                    + "--- " + name + " log ---\n" + (Files.exists(log) ? Files.readString(log) : "");
        } catch (IOException e) {
            return e.toString();
        }
    }

    public List<String> output() throws IOException {
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }

    /** SIGTERM, as Ctrl-C: the player leaves, writes its files and prints its summary. */
    public int stop() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not end within 60 s of SIGTERM\n" + console());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
