package dev.ensemble.core.internal.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ensemble.core.ActorEvent;
import dev.ensemble.core.Down;
import dev.ensemble.core.Subscription;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reactions alone: a dependency's listeners on one side, a mailbox that only records on the
 * other, and the test playing the reacting actor's turns.
 */
class ReactionsTest {
    private final RecordingInstance actor = new RecordingInstance();
    private final Reactions reactions = new Reactions(actor);
    private final Listeners<Integer> dependency = new Listeners<>("dependency");
    private final List<String> reacted = new ArrayList<>();

    @Test
    void aStateReactionRunsInTheSubscribingInstancesTurn() {
        reactions.toState(4, "dependency", dependency::addState, state -> reacted.add("state " + state));
        dependency.publishState(7);
        assertEquals(List.of(), reacted, "a notification only enqueues; the reaction runs in the reactor's turn");
        assertEquals(1, actor.mailbox.size());
        assertEquals("reaction to state of dependency", actor.mailbox.get(0).name());
        assertEquals(4, actor.mailbox.get(0).generation());
        actor.runTurn(0);
        assertEquals(List.of("state 7"), reacted);
    }

    @Test
    void anEventReactionWithANameSeesOnlyEventsOfThatName() {
        reactions.toEvents(1, "dependency", dependency::addEvent, "saved", event -> reacted.add(event.name()));
        reactions.toEvents(1, "dependency", dependency::addEvent, null, event -> reacted.add("any " + event.name()));
        dependency.publishEvent(new ActorEvent("dependency", "loaded", null));
        dependency.publishEvent(new ActorEvent("dependency", "saved", null));
        for (int turn = 0; turn < actor.mailbox.size(); turn++) {
            actor.runTurn(turn);
        }
        assertEquals(List.of("any loaded", "saved", "any saved"), reacted);
    }

    @Test
    void aWatchRunsWhenTheDependencyStopsForGood() {
        reactions.watch(2, "dependency", dependency::addDown, down -> reacted.add("down " + down.actor()));
        dependency.announceDown(new Down("dependency", null));
        assertEquals("down of dependency", actor.mailbox.get(0).name());
        actor.runTurn(0);
        assertEquals(List.of("down dependency"), reacted);
    }

    @Test
    void theEndOfTheInstanceEndsItsReactionsEvenOnesAlreadyQueued() {
        reactions.toState(1, "dependency", dependency::addState, state -> reacted.add("state " + state));
        reactions.watch(1, "dependency", dependency::addDown, down -> reacted.add("down"));
        dependency.publishState(1);
        reactions.cancelAll();
        assertEquals(0, reactions.liveCount());
        dependency.publishState(2);
        dependency.announceDown(new Down("dependency", null));
        assertEquals(1, actor.mailbox.size(), "nothing reaches the mailbox after the instance ended");
        actor.runTurn(0);
        assertEquals(List.of(), reacted, "a reaction already queued must not run for an ended instance");
    }

    @Test
    void aSubscriptionCancelledInTheTurnIsForgottenAndOneCancelledElsewhereWaitsForTheEnd() {
        Subscription inTurn = reactions.toState(1, "dependency", dependency::addState, state -> reacted.add("a"));
        Subscription elsewhere = reactions.toState(1, "dependency", dependency::addState, state -> reacted.add("b"));
        inTurn.cancel();
        assertEquals(1, reactions.liveCount());
        actor.inTurn = false;
        elsewhere.cancel();
        assertEquals(1, reactions.liveCount(), "only the turn may change the instance's set of reactions");
        dependency.publishState(3);
        assertEquals(0, actor.mailbox.size(), "both subscriptions must have stopped delivering");
    }
}
