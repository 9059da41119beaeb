package dev.ensemble.benchmarks.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the core benchmarks, ensemble-core against Apache Pekko typed, and prints one
 * {@code ratio <name> <ours/pekko>} line per comparison after the raw {@code result} lines.
 *
 * <p>Every measurement runs in fresh JVMs started from this jar with the same flags for both
 * runtimes. Where both runtimes share a JVM, they take turns in short rounds, so that load from
 * outside (other builds on a shared machine) falls on both alike.
 *
 * <pre>
 * java -jar benchmarks.jar [--quick] [--only pingpong,inspect,jmh,ask,spawn,idle] [--idle-actors N]
 * </pre>
 */
public final class CoreSuite {
    /** Flags of every measuring JVM except the heap one. */
    private static final List<String> JVM_FLAGS = List.of(
            "-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dslf4j.internal.verbosity=ERROR");
    /** The heap measurement holds a million actors. */
    private static final List<String> HEAP_JVM_FLAGS =
            List.of("-Xmx4g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dslf4j.internal.verbosity=ERROR");

    private final SuiteSettings settings;
    /** Raw results by name, in the order measured. Owned by the main thread. */
    private final Map<String, Double> results = new LinkedHashMap<>();

    private CoreSuite(SuiteSettings settings) {
        this.settings = settings;
    }

    /**
     * @param args {@code [--quick] [--only pingpong,inspect,jmh,ask,spawn,idle] [--idle-actors N]}
     * @throws Exception if a benchmark fails
     */
    public static void main(String[] args) throws Exception {
        SuiteArguments arguments = SuiteArguments.parse(args);
        SuiteSettings settings = arguments.settings();
        Set<String> parts = arguments.parts();
        CoreSuite suite = new CoreSuite(settings);
        long started = System.nanoTime();
        if (parts.contains("pingpong")) {
            suite.child(JVM_FLAGS, PingPongRace.class, settings.warmupRounds(), settings.measuredRounds(), 1, 64);
        }
        if (parts.contains("inspect")) {
            suite.inspectOnVsOff();
        }
        if (parts.contains("jmh")) {
            suite.jmhPingPong();
        }
        if (parts.contains("ask")) {
            suite.child(
                    JVM_FLAGS, AskLatency.class, settings.warmupAsks(), settings.measuredAsks(), settings.askBlocks());
        }
        if (parts.contains("spawn")) {
            suite.child(JVM_FLAGS, IdleActors.class, "rate", settings.spawnActors(), settings.spawnRuns());
        }
        if (parts.contains("idle")) {
            for (String runtime : List.of(Runtimes.OURS, Runtimes.PEKKO)) {
                suite.child(HEAP_JVM_FLAGS, IdleActors.class, "heap", runtime, settings.idleActors());
            }
        }
        suite.report();
        System.out.printf("suite took %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    /**
     * Ours with inspection on (nobody attached) against ours with it off, 64 pairs: {@link InspectRace}
     * in {@link SuiteSettings#inspectForks()} JVMs, alternating which system each makes first (the
     * instance, not inspection, made one JVM's ratio differ by up to 10 % with inspection off on both
     * sides). Records the median of the JVMs' on, off and paired results.
     */
    private void inspectOnVsOff() throws IOException, InterruptedException {
        String name = "pingpong-64-pairs-msgs-per-s-";
        String paired = InspectRace.PAIRED + "64-paired";
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int fork = 0; fork < settings.inspectForks(); fork++) {
            // Rounds of 64 pairs take about 15 ms: twice the ping-pong race's rounds per JVM cost a
            // few seconds.
            child(
                    JVM_FLAGS,
                    InspectRace.class,
                    settings.warmupRounds(),
                    settings.measuredRounds() * 2,
                    64,
                    fork % 2 == 0 ? "on-first" : "off-first");
            on.add(results.remove(name + InspectRace.ON));
            off.add(results.remove(name + InspectRace.OFF));
            ratios.add(results.remove(paired));
        }
        System.out.println("# inspect on/off, paired medians of each JVM: " + ratios);
        record(name + InspectRace.ON, median(on));
        record(name + InspectRace.OFF, median(off));
        record(paired, median(ratios));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * Runs each (pairs, runtime) combination in its own JMH fork, taking turns round by round so
     * that load from outside falls on both runtimes alike; records the median iteration, and the
     * median of the bytes allocated per message (JMH's GC profiler).
     */
    private void jmhPingPong() throws Exception {
        Map<String, List<Double>> iterations = new LinkedHashMap<>();
        for (int round = 0; round < settings.pingPongRounds(); round++) {
            for (String pairs : List.of("1", "64")) {
                for (String runtime : List.of(Runtimes.OURS, Runtimes.PEKKO)) {
                    String name = "pingpong-" + pairs + (pairs.equals("1") ? "-pair" : "-pairs") + "-msgs-per-s-jmh-"
                            + runtime;
                    System.out.printf("# JMH ping-pong, %s pairs, %s, round %d%n", pairs, runtime, round + 1);
                    List<Double> scores = iterations.computeIfAbsent(name, n -> new ArrayList<>());
                    List<Double> allocations = iterations.computeIfAbsent(
                            name.replace("-msgs-per-s-jmh-", "-bytes-per-msg-jmh-"), n -> new ArrayList<>());
                    for (RunResult run : new Runner(pingPongOptions(runtime, pairs)).run()) {
                        for (BenchmarkResult fork : run.getBenchmarkResults()) {
                            for (IterationResult iteration : fork.getIterationResults()) {
                                scores.add(iteration.getPrimaryResult().getScore());
                                iteration.getSecondaryResults().forEach((label, result) -> {
                                    if (label.endsWith("gc.alloc.rate.norm")) {
                                        allocations.add(result.getScore());
                                    }
                                });
                            }
                        }
                    }
                }
            }
        }
        iterations.forEach((name, scores) -> {
            if (scores.isEmpty()) {
                return;
            }
            List<Double> sorted = scores.stream().sorted().toList();
            System.out.printf(
                    Locale.ROOT,
                    "# %s: %d iterations, min %.0f, median %.0f, max %.0f%n",
                    name,
                    sorted.size(),
                    sorted.get(0),
                    sorted.get(sorted.size() / 2),
                    sorted.get(sorted.size() - 1));
            record(name, sorted.get(sorted.size() / 2));
        });
    }

    private Options pingPongOptions(String runtime, String pairs) {
        return new OptionsBuilder()
                .include(PingPongBenchmark.class.getName())
                .param("runtime", runtime)
                .param("pairs", pairs)
                .forks(1)
                .warmupIterations(settings.warmupIterations())
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(settings.measurementIterations())
                .measurementTime(TimeValue.seconds(1))
                .jvmArgs(JVM_FLAGS.toArray(String[]::new))
                .addProfiler(GCProfiler.class)
                .verbosity(VerboseMode.SILENT)
                .shouldFailOnError(true)
                .build();
    }

    /** Runs {@code main} in a fresh JVM from this classpath and records its {@code result} lines. */
    private void child(List<String> flags, Class<?> main, Object... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        for (Object arg : args) {
            command.add(String.valueOf(arg));
        }
        System.out.println("# " + main.getSimpleName() + " " + Arrays.toString(args));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                String[] words = line.split(" ");
                if (words.length == 3 && words[0].equals("result")) {
                    record(words[1], Double.parseDouble(words[2]));
                } else {
                    System.out.println(line);
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(
                    main.getSimpleName() + " " + Arrays.toString(args) + " failed with exit code " + exit);
        }
    }

    private void record(String name, double value) {
        results.put(name, value);
        System.out.println(resultLine(name, value));
    }

    private static String resultLine(String name, double value) {
        return String.format(Locale.ROOT, value >= 100 ? "result %s %.0f" : "result %s %.2f", name, value);
    }

    private void report() {
        System.out.println();
        System.out.println("# results (throughput in messages/s, allocation in bytes/message, latency in microseconds,"
                + " rate in actors/s, heap in bytes/actor)");
        results.forEach((name, value) -> System.out.println(resultLine(name, value)));
        System.out.println(
                "# ratios: ours/pekko; above 1 is better for throughput and rate, below 1 for latency and bytes");
        List<String> checks = new ArrayList<>();
        ratio("pingpong-1-pair-throughput", "pingpong-1-pair-msgs-per-s", ">=", 2.0, checks);
        ratio("pingpong-64-pairs-throughput", "pingpong-64-pairs-msgs-per-s", ">=", 1.0, checks);
        ratio("pingpong-1-pair-throughput-jmh", "pingpong-1-pair-msgs-per-s-jmh", null, 0, checks);
        ratio("pingpong-64-pairs-throughput-jmh", "pingpong-64-pairs-msgs-per-s-jmh", null, 0, checks);
        ratio("ask-p50-latency-lower-better", "ask-p50-us", null, 0, checks);
        ratio("ask-p99-latency-lower-better", "ask-p99-us", "<=", 1.0, checks);
        ratio("ask-p999-latency-lower-better", "ask-p999-us", null, 0, checks);
        ratio("spawn-rate", "spawn-rate", null, 0, checks);
        ratio("idle-actor-bytes-lower-better", "idle-actor-bytes", null, 0, checks);
        Double inspectOn = results.get("pingpong-64-pairs-msgs-per-s-" + InspectRace.ON);
        Double inspectOff = results.get("pingpong-64-pairs-msgs-per-s-" + InspectRace.OFF);
        Double inspectPaired = results.get(InspectRace.PAIRED + "64-paired");
        if (inspectOn != null && inspectOff != null && inspectPaired != null) {
            // Ours against ours: inspection switched on, nobody attached, must cost nothing measurable.
            // The target is on the median of the per-round ratios (InspectRace says why).
            System.out.printf(Locale.ROOT, "# inspect on/off, ratio of the medians: %.3f%n", inspectOn / inspectOff);
            System.out.printf(Locale.ROOT, "ratio inspect-on-vs-off-pingpong-64 %.3f%n", inspectPaired);
            checks.add(check("ratio inspect-on-vs-off-pingpong-64", inspectPaired, ">=", 0.98));
        }
        Double idleBytes = results.get("idle-actor-bytes-ours");
        if (idleBytes != null) {
            checks.add(check("idle-actor-bytes-ours", idleBytes, "<=", 500));
        }
        System.out.println("# targets");
        checks.forEach(System.out::println);
    }

    private void ratio(String name, String result, String comparison, double target, List<String> checks) {
        Double ours = results.get(result + "-" + Runtimes.OURS);
        Double pekko = results.get(result + "-" + Runtimes.PEKKO);
        if (ours == null || pekko == null) {
            return;
        }
        double ratio = ours / pekko;
        System.out.printf(Locale.ROOT, "ratio %s %.2f%n", name, ratio);
        if (comparison != null) {
            checks.add(check("ratio " + name, ratio, comparison, target));
        }
    }

    private static String check(String what, double value, String comparison, double target) {
        boolean met = comparison.equals(">=") ? value >= target : value <= target;
        return String.format(
                Locale.ROOT, "target %s %.2f %s %.2f %s", what, value, comparison, target, met ? "met" : "NOT MET");
    }
}
