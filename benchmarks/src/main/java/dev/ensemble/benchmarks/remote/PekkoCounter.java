package dev.ensemble.benchmarks.remote;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.Props;

/**
 * The comparator's counter, a classic Pekko actor: an {@link Integer} adds to the count (a tell),
 * the string {@value #TOTAL} answers the sender with the count (an ask). Both message types have
 * Pekko remoting's built-in binary serializers, so Artery carries them without Java serialization
 * and without a serializer of ours.
 */
final class PekkoCounter extends AbstractActor {
    /** The ask's message. */
    static final String TOTAL = "total";

    private int count;

    static Props props() {
        return Props.create(PekkoCounter.class, PekkoCounter::new);
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
                .match(Integer.class, by -> count += by)
                .matchEquals(TOTAL, unused -> getSender().tell(count, getSelf()))
                .build();
    }
}
