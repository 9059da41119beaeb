package dev.ensemble.collab.repo;

import dev.ensemble.transport.BinarySocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link BinarySocket.Connector} whose connections the test drives: a server with no network. */
final class FakeSockets implements BinarySocket.Connector {
    /** One connection: what the client sent, and the listener to answer through. */
    static final class Connection implements BinarySocket {
        final BinarySocket.Listener listener;
        final List<byte[]> sent = new CopyOnWriteArrayList<>();
        volatile boolean open;
        volatile boolean closedByClient;

        Connection(BinarySocket.Listener listener) {
            this.listener = listener;
        }

        @Override
        public boolean send(byte[] message) {
            if (!open) {
                return false;
            }
            sent.add(message.clone());
            return true;
        }

        @Override
        public void close() {
            closedByClient = true;
            serverCloses("closed by us");
        }

        void opens() {
            open = true;
            listener.opened();
        }

        void serverSends(byte[] frame) {
            listener.message(frame);
        }

        void serverCloses(String reason) {
            if (open) {
                open = false;
                listener.closed(reason);
            }
        }
    }

    final List<Connection> connections = new CopyOnWriteArrayList<>();

    @Override
    public BinarySocket connect(URI uri, BinarySocket.Listener listener) {
        Connection connection = new Connection(listener);
        connections.add(connection);
        return connection;
    }

    Connection last() {
        return connections.get(connections.size() - 1);
    }
}
