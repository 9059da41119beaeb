package dev.ensemble.benchmarks.core;

/** The names of the runtimes compared, as used in parameters and result names. */
final class Runtimes {
    static final String OURS = "ours";
    static final String PEKKO = "pekko";

    private Runtimes() {}

    static IllegalArgumentException unknown(String runtime) {
        return new IllegalArgumentException(
                "runtime must be \"" + OURS + "\" or \"" + PEKKO + "\", but was \"" + runtime + "\"");
    }
}
