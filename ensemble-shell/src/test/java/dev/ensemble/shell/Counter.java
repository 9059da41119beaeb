package dev.ensemble.shell;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorToken;

/** A real actor for the shell's tests against a real system's inspector. */
public final class Counter extends Actor<CounterState> implements CounterActions {
    /** Registered at {@code /x}. */
    static final ActorToken<CounterActions, CounterState> X =
            ActorToken.of("x", CounterActions.class, CounterState.class);

    Counter() {
        super(new CounterState(0));
    }

    @Override
    public void inc() {
        setState(new CounterState(state().n() + 1));
    }
}
