package dev.ensemble.benchmarks.relay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The parent's handle on a {@link RelayServerMain} child JVM started from this classpath.
 * Not thread-safe: one harness thread talks to it.
 */
final class ServerProcess implements AutoCloseable {

    static final List<String> JVM_FLAGS =
            List.of("-Xms512m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    final int signalingPort;
    final int metricsPort;
    final int echoPort;

    private ServerProcess(Process process) throws IOException, InterruptedException, TimeoutException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String[] ready = answer("ready").split(" ");
        this.signalingPort = Integer.parseInt(ready[1]);
        this.metricsPort = Integer.parseInt(ready[2]);
        this.echoPort = Integer.parseInt(ready[3]);
    }

    /** Starts the child with a signaling server on its own; it exits by itself after {@code deadline}. */
    static ServerProcess start(Duration deadline, Duration idleTimeout)
            throws IOException, InterruptedException, TimeoutException {
        return start(deadline, idleTimeout, null);
    }

    /**
     * Starts the child; it exits by itself after {@code deadline}.
     *
     * @param redisUri the Redis of the cluster the signaling server joins as a node, or null for a
     *     server on its own
     */
    static ServerProcess start(Duration deadline, Duration idleTimeout, String redisUri)
            throws IOException, InterruptedException, TimeoutException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RelayServerMain.class.getName());
        command.add(Long.toString(Math.max(1, deadline.toSeconds())));
        command.add(Long.toString(Math.max(1, idleTimeout.toSeconds())));
        if (redisUri != null) {
            command.add(redisUri);
        }
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            return new ServerProcess(process);
        } catch (IOException | TimeoutException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    URI signalingUri() {
        return URI.create("ws://127.0.0.1:" + signalingPort + "/");
    }

    URI echoUri(String path) {
        return URI.create("ws://127.0.0.1:" + echoPort + path);
    }

    /** Used heap of the server JVM after settled full collections, in bytes. */
    long usedHeapAfterGc() throws IOException, InterruptedException, TimeoutException {
        return Long.parseLong(ask("heap").split(" ")[1]);
    }

    /** Times the echo server's guard re-requested a lost write. */
    long echoRearms() throws IOException, InterruptedException, TimeoutException {
        return Long.parseLong(ask("echo-rearms").split(" ")[1]);
    }

    /** The samples of {@code name} from the signaling server's Prometheus endpoint, joined; empty if none. */
    String metric(String name) throws IOException {
        URL url = new URL("http://127.0.0.1:" + metricsPort + "/metrics");
        List<String> samples = new ArrayList<>();
        try (BufferedReader metrics =
                new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = metrics.readLine()) != null) {
                if (line.startsWith(name)) {
                    samples.add(line);
                }
            }
        }
        return String.join("; ", samples);
    }

    /**
     * The value of the counter or gauge {@code name}, which has one sample without labels.
     *
     * @throws IOException if the endpoint cannot be read or has no such sample
     */
    long counter(String name) throws IOException {
        for (String sample : metric(name).split("; ")) {
            String[] parts = sample.split(" ");
            if (parts.length == 2 && parts[0].equals(name)) {
                return (long) Double.parseDouble(parts[1]);
            }
        }
        throw new IOException("the signaling server's metrics have no sample '" + name + " <value>'");
    }

    private String ask(String command) throws IOException, InterruptedException, TimeoutException {
        in.write(command + "\n");
        in.flush();
        return answer(command.split(" ")[0]);
    }

    /** Reads the child's next line, which must start with {@code word}, within {@link #ANSWER_TIMEOUT}. */
    private String answer(String word) throws IOException, InterruptedException, TimeoutException {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String text;
        try {
            text = line.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("relay server process: cannot read its answer to '" + word + "'", e.getCause());
        }
        if (text == null || !text.startsWith(word + " ")) {
            throw new IOException("relay server process: expected '" + word + " ...' but got "
                    + (text == null ? "end of output (exit code " + exitCodeIfDone() + ")" : "'" + text + "'"));
        }
        return text;
    }

    private String exitCodeIfDone() throws InterruptedException {
        return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
    }

    @Override
    public void close() throws InterruptedException {
        try {
            in.write("quit\n");
            in.flush();
        } catch (IOException e) {
            // The child is gone already; waiting below finds out.
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
