package dev.ensemble.benchmarks.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
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
 * A child JVM started from this class path with the remote suite's fixed flags, that prints
 * {@code ready ...} once it serves and stops on {@code quit}: a {@link NodeMain} or the relay
 * suite's signaling server. Not thread-safe: one harness thread talks to it.
 */
final class ChildJvm implements AutoCloseable {
    /** The same for every child, so that no side of a comparison gets more heap or a different collector. */
    static final List<String> JVM_FLAGS = List.of(
            "-Xms512m",
            "-Xmx512m",
            "-XX:+UseG1GC",
            "--enable-native-access=ALL-UNNAMED",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final String[] ready;

    private ChildJvm(Process process, String[] ready) {
        this.process = process;
        this.ready = ready;
    }

    /**
     * Starts {@code mainClass} with {@code args} and waits for its {@code ready} line.
     *
     * @throws IOException if it does not print one within a minute, or exits first
     */
    static ChildJvm start(Class<?> mainClass, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            return new ChildJvm(process, awaitReady(process, mainClass.getSimpleName()));
        } catch (IOException | RuntimeException | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static String[] awaitReady(Process process, String name) throws IOException, InterruptedException {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                String text;
                while ((text = out.readLine()) != null && !text.startsWith("ready ")) {
                    // A library's own output before the line we wait for.
                    System.err.println("# " + name + ": " + text);
                }
                return text;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String text;
        try {
            text = line.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException(name + ": cannot read its ready line", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(name + ": no ready line within " + READY_TIMEOUT.toSeconds() + " s", e);
        }
        if (text == null) {
            throw new IOException(name + ": exited before it was ready (exit code "
                    + (process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : "none yet") + ")");
        }
        // The rest of its output is not read again; drain it so that the child never blocks on a full pipe.
        Thread drain = new Thread(
                () -> {
                    try {
                        while (out.readLine() != null) {
                            // discarded
                        }
                    } catch (IOException e) {
                        // The child is gone.
                    }
                },
                name + "-stdout");
        drain.setDaemon(true);
        drain.start();
        return text.split(" ");
    }

    /** The {@code i}th word after {@code ready}. */
    String ready(int i) {
        return ready[i + 1];
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            in.write("quit\n");
            in.flush();
        } catch (IOException e) {
            // The child is gone already; waiting below finds out.
        }
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
