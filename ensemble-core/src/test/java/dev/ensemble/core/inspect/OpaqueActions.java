package dev.ensemble.core.inspect;

/** Actions of an actor whose state Jackson cannot serialize. */
public interface OpaqueActions {
    void touch();
}
