package dev.ensemble.core.inspect;

/** The relay's action: a tell that, in its turn, tells a gauge of another system. */
public interface RelayActions {
    void relay(int value);
}
