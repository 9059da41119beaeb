package dev.ensemble.benchmarks.core;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@link CoreSuite}: which parts run, and with how much work.
 *
 * @param settings how much work each part does
 * @param parts the parts to run
 */
record SuiteArguments(SuiteSettings settings, Set<String> parts) {
    /**
     * The parts run by default; {@code inspect} is ours with inspection on against ours with it off
     * ({@link InspectRace}).
     */
    static final List<String> DEFAULT_PARTS = List.of("pingpong", "inspect", "ask", "spawn", "idle");
    /** Parts run only on request: {@code jmh} is ping-pong under JMH with its GC profiler. */
    static final List<String> OPTIONAL_PARTS = List.of("jmh");

    static final String USAGE = "[--quick] [--only pingpong,inspect,jmh,ask,spawn,idle] [--idle-actors N]";

    /**
     * @throws IllegalArgumentException naming the argument that is wrong, and the usage
     */
    static SuiteArguments parse(String... args) {
        SuiteSettings settings = SuiteSettings.FULL;
        Integer idleActors = null;
        Set<String> parts = Set.copyOf(DEFAULT_PARTS);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> settings = SuiteSettings.QUICK;
                case "--only" -> parts = parts(value(args, i++));
                case "--idle-actors" -> idleActors = count(value(args, i++));
                default -> throw new IllegalArgumentException("unknown argument \"" + args[i] + "\"; usage: " + USAGE);
            }
        }
        return new SuiteArguments(idleActors == null ? settings : settings.withIdleActors(idleActors), parts);
    }

    private static String value(String[] args, int option) {
        if (option + 1 == args.length) {
            throw new IllegalArgumentException(args[option] + " needs a value; usage: " + USAGE);
        }
        return args[option + 1];
    }

    private static Set<String> parts(String list) {
        Set<String> parts = new LinkedHashSet<>(List.of(list.split(",")));
        for (String part : parts) {
            if (!DEFAULT_PARTS.contains(part) && !OPTIONAL_PARTS.contains(part)) {
                throw new IllegalArgumentException("--only takes parts of " + DEFAULT_PARTS + " and " + OPTIONAL_PARTS
                        + ", but \"" + part + "\" is none of them");
            }
        }
        return Set.copyOf(parts);
    }

    private static int count(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--idle-actors takes a whole number, but was \"" + value + "\"");
        }
    }
}
