package dev.ensemble.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.collab.sim.LinkConditions;
import dev.ensemble.collab.sim.NetworkSimulator;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorToken;
import dev.ensemble.core.Subscription;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.remote.RemoteCallException.Reason;
import dev.ensemble.transport.PeerId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A service of calls only: it knows its verified caller, refuses whom it chooses, has no state. */
class ExposeServiceTest {
    private static final PeerId A = SimNodes.id("node-a");
    private static final PeerId B = SimNodes.id("node-b");
    private static final PeerId C = SimNodes.id("node-c");

    /** The service's actions. */
    public interface WhoAmI {
        CompletableFuture<String> who();
    }

    private static final ActorToken<WhoAmI, Object> TOKEN = ActorToken.of("who", WhoAmI.class, Object.class);

    private final SimNodes sim = new SimNodes(NetworkSimulator.builder()
            .seed(NetworkSimulator.chooseSeed())
            .traceCapacity(0)
            .conditions(LinkConditions.PERFECT)
            .build());

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void eachCallRunsOnTheActionsOfItsVerifiedCallerAndARefusedNodeIsUnauthorized() {
        RemoteActors a = sim.node("node-a");
        RemoteActors b = sim.node("node-b");
        RemoteActors c = sim.node("node-c");
        List<PeerId> downs = new CopyOnWriteArrayList<>();
        Subscription listening = b.onNodeDown(downs::add);
        Subscription service = b.exposeService(
                "who",
                WhoAmI.class,
                AccessPolicy.everyone(Permission.ASK),
                caller -> caller.equals(C) ? null : () -> CompletableFuture.completedFuture(caller.toString()));
        sim.pumpUntil("all up", () -> a.isUp(B) && c.isUp(B) && b.isUp(A) && b.isUp(C));

        assertEquals(A.toString(), sim.await(a.client(B, TOKEN).actions().who()));
        RemoteCallException refused = assertInstanceOf(
                RemoteCallException.class,
                sim.failure(c.client(B, TOKEN).actions().who()));
        assertEquals(Reason.UNAUTHORIZED, refused.reason());
        assertTrue(refused.getMessage().contains("may not call service \"who\""), refused.getMessage());

        // No state to read: the subscription is refused and the cache stays empty.
        ActorClient<WhoAmI, Object> client = a.client(B, TOKEN);
        client.onState(state -> {});
        sim.pumpUntil("B refuses the subscription", () -> b.stats().callsRefused() == 2, b::stats);

        sim.network.goOffline(C);
        sim.pumpUntil("B hears that C went down", () -> downs.contains(C), () -> downs);
        listening.cancel();

        service.cancel();
        RemoteCallException gone = assertInstanceOf(
                RemoteCallException.class,
                sim.failure(a.client(B, TOKEN).actions().who()));
        assertEquals(Reason.UNKNOWN_ACTOR, gone.reason());
    }
}
