package dev.ensemble.core.inspect;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An {@link Inspector} that knows nothing of actors, for testing what carries its lines: it says
 * hello, answers each request line with {@code echo:LINE}, and on {@code flood COUNT BYTES} calls
 * the sink COUNT times from another thread with lines of BYTES bytes, as a trace does.
 */
final class InspectionServerTestInspector implements Inspector {
    final List<Session> sessions = new CopyOnWriteArrayList<>();
    /** When set, {@link #open} throws it. */
    volatile RuntimeException failOpen;

    /** Synchronized: connections open their sessions on their own threads, and numbers must stay unique. */
    @Override
    public synchronized InspectionSession open(InspectionAccess access, Consumer<String> sink) {
        RuntimeException failure = failOpen;
        if (failure != null) {
            throw failure;
        }
        Session session = new Session(sessions.size() + 1, access, sink);
        sessions.add(session);
        sink.accept("{\"type\":\"hello\",\"protocol\":1,\"session\":" + session.number + ",\"access\":\""
                + access.name().toLowerCase(java.util.Locale.ROOT) + "\"}");
        return session;
    }

    Session session(int number) {
        return sessions.get(number - 1);
    }

    static final class Session implements InspectionSession {
        final int number;
        final InspectionAccess access;
        final Consumer<String> sink;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicInteger closeCalls = new AtomicInteger();
        /** Sink calls made by the flood thread, all of which returned. */
        final AtomicInteger flooded = new AtomicInteger();

        final AtomicBoolean floodDone = new AtomicBoolean();

        Session(int number, InspectionAccess access, Consumer<String> sink) {
            this.number = number;
            this.access = access;
            this.sink = sink;
        }

        @Override
        public void request(String line) {
            requests.add(line);
            if (line.startsWith("flood ")) {
                String[] words = line.split(" ");
                int count = Integer.parseInt(words[1]);
                String payload = "x".repeat(Integer.parseInt(words[2]) - 1);
                Thread flood = new Thread(
                        () -> {
                            for (int i = 0; i < count && !closed.get(); i++) {
                                sink.accept(payload);
                                flooded.incrementAndGet();
                            }
                            floodDone.set(true);
                        },
                        "test-flood-" + number);
                flood.setDaemon(true);
                flood.start();
                return;
            }
            sink.accept("echo:" + line);
        }

        @Override
        public void close() {
            closeCalls.incrementAndGet();
            closed.set(true);
        }
    }
}
