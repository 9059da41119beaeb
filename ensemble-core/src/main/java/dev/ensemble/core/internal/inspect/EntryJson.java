package dev.ensemble.core.internal.inspect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.inspect.InspectableNamespace;
import dev.ensemble.core.internal.cell.ActorCell;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * INTERNAL API: the protocol's ENTRY of a node (docs/SHELL.md): short ({@code name}, {@code path},
 * {@code kind}) or long. A supervisor or a pool sums its actors' mailboxes, rates and restarts; a
 * namespace has no numbers. Reads only thread-safe views of the cells.
 */
final class EntryJson {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final RateSampler rates;
    private final long now;

    EntryJson(RateSampler rates, long now) {
        this.rates = rates;
        this.now = now;
    }

    ObjectNode entry(InspectModel.Node node, boolean full) {
        ObjectNode json = Json.object();
        json.put("name", node.name());
        json.put("path", node.path());
        json.put("kind", node.kind().wire());
        if (!full) {
            return json;
        }
        switch (node.kind()) {
            case ACTOR -> actor(json, node.cell());
            case SUPERVISOR, POOL -> group(json, node);
            case NAMESPACE -> namespace(json, node);
        }
        return json;
    }

    private void actor(ObjectNode json, ActorCell<?> cell) {
        String type = cell.instanceType();
        json.put("type", type == null || type.isEmpty() ? cell.token().actions().getSimpleName() : type);
        json.put("status", status(cell.status()));
        json.put("mailbox", cell.mailboxSize());
        json.put("rate1s", round(rate1s(cell)));
        json.put("rate10s", round(rates.rate(cell, 10 * SECOND, now)));
        json.put("restarts", cell.restartCount());
        long since = cell.runningSinceNanos();
        json.put(
                "uptimeMs",
                cell.status() == ActorStatus.RUNNING && since != 0 ? TimeUnit.NANOSECONDS.toMillis(now - since) : 0);
        json.put("summary", StateJson.summary(cell.stateForInspection()));
    }

    double rate1s(ActorCell<?> cell) {
        return rates.rate(cell, SECOND, now);
    }

    private void group(ObjectNode json, InspectModel.Node node) {
        List<InspectModel.Node> actors = InspectModel.actorsUnder(node);
        long mailbox = 0;
        double rate1 = 0;
        double rate10 = 0;
        long restarts = 0;
        boolean anyLive = actors.isEmpty();
        for (InspectModel.Node actor : actors) {
            ActorCell<?> cell = actor.cell();
            mailbox += cell.mailboxSize();
            rate1 += rates.rate(cell, SECOND, now);
            rate10 += rates.rate(cell, 10 * SECOND, now);
            restarts += cell.restartCount();
            anyLive |= cell.status() != ActorStatus.STOPPED;
        }
        json.putNull("type");
        json.put("status", anyLive ? "running" : "stopped");
        json.put("mailbox", mailbox);
        json.put("rate1s", round(rate1));
        json.put("rate10s", round(rate10));
        json.put("restarts", restarts);
        json.putNull("uptimeMs");
        int children = node.children().size();
        json.put(
                "summary",
                node.kind() == InspectModel.Kind.POOL
                        ? children + (children == 1 ? " replica" : " replicas")
                        : children + (children == 1 ? " child" : " children"));
    }

    private static void namespace(ObjectNode json, InspectModel.Node node) {
        InspectableNamespace namespace = node.namespace();
        json.put("type", namespace == null ? null : ReadOps.typeOf(namespace));
        json.put("status", "running");
        json.putNull("mailbox");
        json.putNull("rate1s");
        json.putNull("rate10s");
        json.putNull("restarts");
        json.putNull("uptimeMs");
        String summary = namespace == null ? null : namespace.summary();
        if (summary == null || summary.isEmpty()) {
            int children = node.children().size();
            summary = children + (children == 1 ? " child" : " children");
        }
        json.put("summary", Json.cut(summary, StateJson.SUMMARY_CHARS));
    }

    static String status(ActorStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static double round(double rate) {
        return Math.round(rate * 10) / 10.0;
    }
}
