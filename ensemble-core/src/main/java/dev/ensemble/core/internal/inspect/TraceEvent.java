package dev.ensemble.core.internal.inspect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.core.internal.cell.TappedMessage;
import java.time.Instant;
import java.util.Locale;

/**
 * INTERNAL API: one message entering an actor, as the protocol's TRACE object (docs/SHELL.md).
 * Immutable; made once per recorded message and shared by every trace and the history.
 */
public record TraceEvent(
        Instant time,
        String sender,
        String receiver,
        String kind,
        String action,
        String args,
        long queueUs,
        long durationUs,
        String outcome) {

    /**
     * @param receiver the actor's path
     * @param record what the cell recorded
     * @param nowNanos {@link System#nanoTime()} now, to place the start on the wall clock
     * @param now the wall clock now
     */
    static TraceEvent of(String receiver, TappedMessage.Record record, long nowNanos, Instant now) {
        Instant started = now.minusNanos(Math.max(0, nowNanos - record.startedNanos()));
        return new TraceEvent(
                started,
                record.sender(),
                receiver,
                record.kind().name().toLowerCase(Locale.ROOT),
                record.action(),
                summarize(record.args()),
                Math.max(0, record.startedNanos() - record.enqueuedNanos()) / 1000,
                Math.max(0, record.finishedNanos() - record.startedNanos()) / 1000,
                record.outcome().name().toLowerCase(Locale.ROOT));
    }

    /** @return the arguments, comma separated, at most 120 characters; empty for none */
    static String summarize(Object[] args) {
        if (args == null || args.length == 0) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < args.length && text.length() <= StateJson.SUMMARY_CHARS; i++) {
            if (i > 0) {
                text.append(", ");
            }
            Object arg = args[i];
            text.append(arg instanceof CharSequence ? "\"" + arg + "\"" : StateJson.safeToString(arg));
        }
        return Json.cut(text.toString(), StateJson.SUMMARY_CHARS);
    }

    /**
     * @param mount the path a mounted system's tree appears at in the outer inspector
     * @param senderInside whether the sender is an actor of the mounted system (else its path is
     *     left as it is)
     * @return this event with {@code mount} before its receiver, and before its sender if inside
     */
    TraceEvent mountedAt(String mount, boolean senderInside) {
        return new TraceEvent(
                time,
                senderInside ? mount + sender : sender,
                mount + receiver,
                kind,
                action,
                args,
                queueUs,
                durationUs,
                outcome);
    }

    /** @return the TRACE object */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("time", time.toString());
        json.put("sender", sender);
        json.put("receiver", receiver);
        json.put("kind", kind);
        json.put("action", action);
        json.put("args", args);
        json.put("queueUs", queueUs);
        json.put("durationUs", durationUs);
        json.put("outcome", outcome);
        return json;
    }
}
