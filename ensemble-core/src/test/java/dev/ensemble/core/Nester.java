package dev.ensemble.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A test actor that sends to itself from inside a turn. */
final class Nester extends Actor<List<String>> implements NesterActions {
    @SuppressWarnings("unchecked")
    static final ActorToken<NesterActions, List<String>> TOKEN =
            ActorToken.of("nester", NesterActions.class, (Class<List<String>>) (Class<?>) List.class);

    Nester() {
        super(List.of());
    }

    private void add(String entry) {
        List<String> next = new ArrayList<>(state());
        next.add(entry);
        setState(List.copyOf(next));
    }

    @Override
    public void outer() {
        add("outer-start");
        ActorClient<NesterActions, List<String>> me = self();
        me.actions().inner();
        add("outer-end");
    }

    @Override
    public void inner() {
        add("inner");
    }

    @Override
    public void after() {
        add("after");
    }

    @Override
    public void block(java.util.concurrent.CountDownLatch release) throws InterruptedException {
        release.await();
    }

    @Override
    public CompletableFuture<List<String>> log() {
        return reply(state());
    }
}
