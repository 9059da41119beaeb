package dev.ensemble.remote;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorToken;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/** The actor the remote tests call. */
public final class Counter extends Actor<Tally> implements CounterActions {
    static final ActorToken<CounterActions, Tally> TOKEN = ActorToken.of("counter", CounterActions.class, Tally.class);

    /** A type nobody registers. */
    public static final class Unregistered {
        public int value = 1;
    }

    Counter() {
        super(Tally.ZERO);
    }

    @Override
    public void increment(int by) {
        Tally t = state();
        setState(new Tally(t.total() + by, t.recorded(), t.last(), t.outOfOrder()));
    }

    @Override
    public CompletableFuture<Integer> total() {
        return CompletableFuture.completedFuture(state().total());
    }

    @Override
    public CompletableFuture<Integer> fail(String why) {
        throw new IllegalStateException(why);
    }

    @Override
    public CompletableFuture<Note> echo(Note note) {
        return CompletableFuture.completedFuture(new Note(note.name() + "!", note.velocity() + 1, note.chord()));
    }

    @Override
    public CompletableFuture<String> describe(Object anything) {
        return CompletableFuture.completedFuture(String.valueOf(anything));
    }

    @Override
    public CompletableFuture<Object> unregisteredResult() {
        return CompletableFuture.completedFuture(new Unregistered());
    }

    @Override
    public void announce(String what) {
        emit("announced", what);
    }

    @Override
    public void remember(Object anything) {
        emit("remembered", anything);
    }

    @Override
    public CompletableFuture<Integer> busy(int millis) {
        spin(millis);
        return CompletableFuture.completedFuture(state().total());
    }

    @Override
    public void spin(int millis) {
        // Stands for work that takes the actor's thread this long (the flooding tests' slow actor).
        long until = System.nanoTime() + millis * 1_000_000L;
        for (long left = millis * 1_000_000L; left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    @Override
    public void record(int i) {
        Tally t = state();
        setState(new Tally(t.total(), t.recorded() + 1, i, t.outOfOrder() + (i <= t.last() ? 1 : 0)));
    }
}
