package dev.ensemble.core.internal.inspect;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.core.inspect.InspectionSession;
import dev.ensemble.core.internal.cell.ActorCell;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: one session of an {@link InspectorEngine}: parses each request line, answers it
 * through its {@link SessionWriter}, and owns its open streams (at most {@link #MAX_STREAMS}).
 * Closing it ends its streams (they unhook from the actors) and silences the sink.
 *
 * <p>Threading: see {@link InspectionSession}. {@link #request} runs the reading operations on
 * the caller's thread; an ask's reply and stream events arrive on other threads, all through the
 * writer.
 */
final class Session implements InspectionSession {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    /** Open streams per session at most; one more is refused with {@code busy}. */
    static final int MAX_STREAMS = 8;

    private final InspectorEngine engine;
    private final InspectionAccess access;
    private final SessionWriter writer;
    private final Map<Long, Stream> streams = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Session(InspectorEngine engine, InspectionAccess access, Consumer<String> sink, String threadName) {
        this.engine = engine;
        this.access = access;
        this.writer = new SessionWriter(threadName, sink);
        ObjectNode hello = Json.object();
        hello.put("type", "hello");
        hello.put("protocol", 1);
        hello.put("system", engine.system().name());
        hello.put("pid", ProcessHandle.current().pid());
        hello.put("access", access.name().toLowerCase(Locale.ROOT));
        writer.reply(Json.write(hello));
    }

    @Override
    public void request(String line) {
        if (closed) {
            return;
        }
        Request request;
        try {
            request = RequestParser.parse(line == null ? "" : line);
        } catch (RequestParser.Failure failure) {
            writer.reply(Json.error(
                    failure.id(), failure.error().code(), failure.error().getMessage()));
            return;
        }
        try {
            handle(request);
        } catch (InspectError error) {
            writer.reply(Json.error(request.id(), error.code(), error.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("inspection request {} failed", request.op(), e);
            writer.reply(Json.error(request.id(), InspectError.FAILED, e.toString()));
        }
    }

    private void handle(Request request) {
        long id = request.id();
        switch (request.op()) {
            case "ls" -> reply(id, ReadOps.ls(engine.model(), request, engine.entries()));
            case "tree" -> reply(id, ReadOps.tree(engine.model(), request));
            case "cat" -> reply(id, ReadOps.cat(engine.model(), request));
            case "actions" -> reply(id, ReadOps.actions(engine.model(), request));
            case "top" -> reply(id, ReadOps.top(engine.model(), request, engine.entries()));
            case "send" -> {
                requireWrite("send");
                SendOp.send(engine.model(), request, outcome -> {
                    if (outcome instanceof InspectError error) {
                        writer.reply(Json.error(id, error.code(), error.getMessage()));
                    } else {
                        reply(id, (ObjectNode) outcome);
                    }
                });
            }
            case "history" -> reply(id, history(request));
            case "trace" -> trace(request);
            case "watch" -> watch(request);
            case "cancel" -> cancel(request);
            default -> throw new InspectError(InspectError.BAD_REQUEST, "unknown op \"" + request.op() + "\"");
        }
    }

    private void reply(long id, ObjectNode result) {
        writer.reply(Json.reply(id, result));
    }

    private void requireWrite(String what) {
        if (access != InspectionAccess.WRITE) {
            throw new InspectError(InspectError.FORBIDDEN, what + " needs write access; this session is read-only");
        }
    }

    private ObjectNode history(Request request) {
        String path = request.path("/");
        int n = (int) request.integer("n", 20, 0, HistoryRing.DEFAULT_CAPACITY);
        String toggle = request.string("switch", null);
        if (toggle != null) {
            if (!toggle.equals("on") && !toggle.equals("off")) {
                throw new InspectError(
                        InspectError.BAD_REQUEST,
                        "field \"switch\" must be \"on\" or \"off\", but was \"" + toggle + "\"");
            }
            requireWrite("history " + toggle);
            engine.history(toggle.equals("on"));
        }
        if (!path.equals("/")) {
            engine.model().resolve(path);
        }
        HistoryRing history = engine.historyRing();
        ObjectNode result = Json.object();
        result.put("recording", history.on());
        result.put("capacity", history.capacity());
        ArrayNode messages = result.putArray("messages");
        for (TraceEvent event : history.last(InspectModel.normalize(path), n)) {
            messages.add(event.toJson());
        }
        return result;
    }

    private void trace(Request request) {
        InspectModel.Node node = engine.model().resolve(request.path("/"));
        long max = request.integer("max", 100, 1, 100_000);
        long seconds = request.integer("seconds", 10, 1, 3_600);
        ActorCell<?> actor = node.kind() == InspectModel.Kind.ACTOR ? node.cell() : null;
        checkLive(actor, node.path());
        long id = request.id();
        open(
                id,
                new TraceStream(
                        id, writer, engine.system().timer(), max, () -> streams.remove(id), node.path(), engine, actor),
                seconds);
    }

    private void watch(Request request) {
        InspectModel.Node node = engine.model().resolve(request.path(null));
        ActorCell<?> actor = ReadOps.actor(node, "watch");
        long max = request.integer("max", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        long seconds = request.integer("seconds", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        checkLive(actor, node.path());
        long id = request.id();
        open(id, new WatchStream(id, writer, engine.system().timer(), max, () -> streams.remove(id), actor), seconds);
    }

    private static void checkLive(ActorCell<?> actor, String path) {
        if (actor != null && actor.status() == ActorStatus.STOPPED) {
            throw new InspectError(InspectError.UNAVAILABLE, "actor " + path + " is stopped: nothing to stream");
        }
    }

    private synchronized void open(long id, Stream stream, long seconds) {
        if (streams.containsKey(id)) {
            throw new InspectError(InspectError.BAD_REQUEST, "id " + id + " is already an open stream of this session");
        }
        if (streams.size() >= MAX_STREAMS) {
            throw new InspectError(
                    InspectError.BUSY,
                    "this session has " + streams.size() + " open streams, the most it may; cancel one first");
        }
        streams.put(id, stream);
        stream.start(seconds);
    }

    private void cancel(Request request) {
        long target = request.integer("target", -1, 0, Long.MAX_VALUE);
        if (target < 0) {
            throw new InspectError(InspectError.BAD_REQUEST, "op \"cancel\" needs the field \"target\"");
        }
        Stream stream = streams.get(target);
        if (stream == null) {
            throw new InspectError(InspectError.BAD_REQUEST, "no open stream " + target + " in this session");
        }
        stream.end("cancelled", true, true);
        reply(request.id(), Json.object());
    }

    /** The system stopped: every stream ends as its actors did, and the session stays open. */
    void systemStopped() {
        for (Stream stream : new ArrayList<>(streams.values())) {
            stream.end("actor-stopped", true, true);
        }
    }

    /** @return how many streams are open, for tests */
    int openStreams() {
        return streams.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Stream> open = new ArrayList<>(streams.values());
        for (Stream stream : open) {
            stream.end("cancelled", false, true);
        }
        writer.close();
        engine.closed(this);
    }
}
