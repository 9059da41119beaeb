package dev.ensemble.collab.repo.server;

import dev.ensemble.collab.repo.RepoCodec;
import dev.ensemble.collab.repo.RepoMessage;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link RepoPeerLink} that keeps what the server sent and how it closed: a socket without a network. */
final class TestLink implements RepoPeerLink {
    private static final RepoCodec CODEC = RepoCodec.standard();

    private final String name;
    /** Every message sent, decoded, in order. */
    final List<RepoMessage> sent = new CopyOnWriteArrayList<>();
    /** Messages not yet taken by {@link #poll()}. */
    private final ConcurrentLinkedQueue<RepoMessage> unread = new ConcurrentLinkedQueue<>();

    /** While true, the link acts as a client that does not read: every send is refused. */
    volatile boolean notReading;

    volatile Integer closeCode;
    volatile String closeReason;

    TestLink(String name) {
        this.name = name;
    }

    @Override
    public boolean send(byte[] frame) {
        if (closeCode != null || notReading) {
            return false;
        }
        RepoMessage message = CODEC.decode(frame);
        sent.add(message);
        unread.add(message);
        return true;
    }

    @Override
    public void close(int code, String reason) {
        if (closeCode == null) {
            closeReason = reason;
            closeCode = code;
        }
    }

    @Override
    public String describe() {
        return name;
    }

    RepoMessage poll() {
        return unread.poll();
    }

    boolean closed() {
        return closeCode != null;
    }

    /** The text of every error message sent. */
    List<String> errors() {
        return sent.stream()
                .filter(m -> m instanceof RepoMessage.ErrorMessage)
                .map(m -> ((RepoMessage.ErrorMessage) m).message())
                .toList();
    }

    @Override
    public String toString() {
        return name + " sent " + sent + (closeCode == null ? "" : ", closed " + closeCode + " " + closeReason);
    }
}
