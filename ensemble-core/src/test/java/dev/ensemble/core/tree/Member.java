package dev.ensemble.core.tree;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.bus.BusMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * A test actor for trees: it writes its lifecycle to a shared journal ("start b", "stop b") and
 * keeps every bus message it received as "name=data from sender".
 */
final class Member extends Actor<List<String>> implements MemberActions {
    private final Journal journal;
    private final String label;

    private Member(Journal journal, String label) {
        super(List.of());
        this.journal = journal;
        this.label = label;
    }

    static ActorToken<MemberActions, List<String>> token(String name) {
        @SuppressWarnings("unchecked")
        Class<List<String>> type = (Class<List<String>>) (Class<?>) List.class;
        return ActorToken.of(name, MemberActions.class, type);
    }

    static Supplier<Member> factory(Journal journal, String label) {
        return () -> new Member(journal, label);
    }

    @Override
    protected void onStart() {
        journal.add("start " + label);
    }

    @Override
    protected void onStop() {
        journal.add("stop " + label);
    }

    @Override
    public void crash(String why) {
        throw crash(new IllegalStateException(why));
    }

    @Override
    public void publishMessage(String name, Object data) {
        publish(name, data);
    }

    @Override
    public CompletableFuture<List<String>> received() {
        return reply(state());
    }

    @Override
    public void block(CountDownLatch release) throws InterruptedException {
        release.await();
    }

    @Override
    public void receive(BusMessage message) {
        List<String> next = new ArrayList<>(state());
        next.add(message.name() + "=" + message.data() + " from " + message.sender());
        setState(List.copyOf(next));
    }
}
