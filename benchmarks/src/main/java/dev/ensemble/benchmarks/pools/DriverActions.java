package dev.ensemble.benchmarks.pools;

/** The sending end of the bus benchmark. */
public interface DriverActions {
    /** Sends {@code messages} to the counter, through the bus or as direct tells, in one turn. */
    void drive(int messages, boolean viaBus);
}
