package dev.ensemble.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for an inspected process in the shell's tests: a real Unix-domain socket server that
 * sends a {@code hello} and answers each request line with what its {@link Script} says. It is a
 * layer test's peer, not the real inspector (ensemble-core's), so the shell is tested against the
 * protocol as documented. Records every request it receives; can drop its connections, as a process
 * that exits would.
 *
 * <p>One thread accepts, one per connection reads; a script's answers are written from that thread
 * or any other (streams), one line at a time.
 */
final class ScriptedInspectionServer implements AutoCloseable {
    /** What the stand-in answers. */
    interface Script {
        /**
         * @param request one request line, parsed
         * @param connection where to answer
         */
        void answer(JsonNode request, Connection connection) throws IOException;
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final ServerSocketChannel server;
    private final Script script;
    private final String hello;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    private ScriptedInspectionServer(Path path, String hello, Script script) throws IOException {
        this.path = path;
        this.hello = hello;
        this.script = script;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Thread acceptor = new Thread(this::acceptLoop, "scripted-inspection-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * @param path where the socket is created
     * @param hello the first line of each connection
     * @param script the answers
     */
    static ScriptedInspectionServer start(Path path, String hello, Script script) throws IOException {
        return new ScriptedInspectionServer(path, hello, script);
    }

    /** A piano-like process: {@link ScriptedPiano}. */
    static ScriptedInspectionServer piano(Path path) throws IOException {
        return start(path, ScriptedPiano.HELLO, new ScriptedPiano());
    }

    Path path() {
        return path;
    }

    /**
     * @return every request received so far, in order
     */
    List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    /**
     * @return the requests of one op received so far
     */
    List<JsonNode> requests(String op) {
        return requests.stream().filter(r -> op.equals(r.path("op").asText())).toList();
    }

    /**
     * @return how many connections are open
     */
    int openConnections() {
        return (int) connections.stream().filter(c -> c.channel.isOpen()).count();
    }

    private void acceptLoop() {
        try {
            while (server.isOpen()) {
                SocketChannel channel = server.accept();
                Connection connection = new Connection(channel);
                connections.add(connection);
                Thread reader = new Thread(connection::readLoop, "scripted-inspection-connection");
                reader.setDaemon(true);
                reader.start();
            }
        } catch (IOException closed) {
            // the server was closed: the test is over
        }
    }

    /** Closes every connection, as a process that exits does. */
    void dropConnections() {
        connections.forEach(Connection::close);
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
        Files.deleteIfExists(path);
    }

    /** One attached shell. */
    final class Connection {
        private final SocketChannel channel;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        void readLoop() {
            try {
                send(hello);
                ByteBuffer buffer = ByteBuffer.allocate(8192);
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                while (channel.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        byte b = buffer.get();
                        if (b != '\n') {
                            line.write(b);
                            continue;
                        }
                        JsonNode request = JSON.readTree(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                        requests.add(request);
                        script.answer(request, this);
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // the shell went away or the test dropped the connection
            } finally {
                close();
            }
        }

        synchronized void send(String line) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }

        void reply(JsonNode request, JsonNode result) throws IOException {
            ObjectNode line = JSON.createObjectNode()
                    .put("id", request.path("id").asLong())
                    .put("ok", true);
            line.set("result", result);
            send(line.toString());
        }

        void error(JsonNode request, String code, String message) throws IOException {
            ObjectNode line = JSON.createObjectNode()
                    .put("id", request.path("id").asLong())
                    .put("ok", false);
            line.putObject("error").put("code", code).put("message", message);
            send(line.toString());
        }

        void event(long id, JsonNode event) throws IOException {
            ObjectNode line = JSON.createObjectNode().put("id", id);
            line.set("event", event);
            send(line.toString());
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
