package dev.ensemble.core.inspect;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorToken;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A test actor with a JSON-friendly state; {@code forward} tells its dependency {@link #OTHER}. */
public final class Gauge extends Actor<GaugeState> implements GaugeActions {
    static final ActorToken<GaugeActions, GaugeState> GAUGE =
            ActorToken.of("gauge", GaugeActions.class, GaugeState.class);
    static final ActorToken<GaugeActions, GaugeState> OTHER =
            ActorToken.of("other", GaugeActions.class, GaugeState.class);

    private final ActorToken<GaugeActions, GaugeState> target;

    Gauge() {
        this(null);
    }

    Gauge(ActorToken<GaugeActions, GaugeState> target) {
        super(new GaugeState(0, "", List.of()));
        this.target = target;
    }

    @Override
    public void set(int value) {
        setState(new GaugeState(value, state().label(), state().tags()));
    }

    @Override
    public void label(String text, List<String> tags) {
        setState(new GaugeState(state().value(), text, List.copyOf(tags)));
    }

    @Override
    public CompletableFuture<Integer> read() {
        return reply(state().value());
    }

    @Override
    public CompletableFuture<Integer> add(int amount) {
        setState(new GaugeState(state().value() + amount, state().label(), state().tags()));
        return reply(state().value());
    }

    @Override
    public void fail(String why) {
        throw new IllegalStateException(why);
    }

    @Override
    public void crash(String why) {
        throw crash(new IllegalStateException(why));
    }

    @Override
    public void hold(java.util.concurrent.CountDownLatch release) throws InterruptedException {
        release.await();
    }

    @Override
    public CompletableFuture<Integer> refuse(String why) {
        throw new IllegalArgumentException(why);
    }

    @Override
    public CompletableFuture<Integer> never() {
        return new CompletableFuture<>();
    }

    @Override
    public void forward(int value) {
        dependency(target).actions().set(value);
    }
}
