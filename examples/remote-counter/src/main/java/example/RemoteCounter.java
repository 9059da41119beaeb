package example;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorSystemConfig;
import dev.ensemble.core.ActorToken;
import dev.ensemble.remote.AccessPolicy;
import dev.ensemble.remote.AccessPolicy.Permission;
import dev.ensemble.remote.RemoteActors;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.TransportException;
import dev.ensemble.transport.TransportListener;
import dev.ensemble.transport.ws.WebSocketTransport;
import dev.ensemble.transport.ws.WebSocketTransportConfig;
import dev.ensemble.transport.ws.direct.DirectTransport;
import dev.ensemble.transport.ws.direct.DirectTransportConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Two nodes and a counter: one node serves the counter, another calls it, over a direct WebSocket
 * connection between them ({@code --listen} / {@code --connect}) or through a signaling server's
 * relay ({@code --server} and {@code --room}).
 *
 * <pre>
 * serve (--listen HOST:PORT | --server ws://HOST:PORT --room ROOM) [--identity FILE]
 *     prints "node DID" (and "listening ws://HOST:PORT/"), then serves the counter until stopped
 * call  (--connect ws://HOST:PORT | --server ws://HOST:PORT --room ROOM) --node DID increment N | total
 * watch (--connect ws://HOST:PORT | --server ws://HOST:PORT --room ROOM) --node DID --seconds S
 *     prints "state N" for the state and each change, "down REASON" if the node goes down
 * </pre>
 *
 * The caller's code does not say where the counter runs: its actor system's configuration places
 * {@code "counter"} on the node given by {@code --node}, and {@code system.client(COUNTER)} does the
 * rest (docs/REMOTE.md, "Placement").
 */
public final class RemoteCounter {
    /** The counter's actions: a tell and an ask. */
    public interface CounterActions {
        void increment(int by);

        CompletableFuture<Integer> total();
    }

    /** The counter: its state is the total. */
    public static final class Counter extends Actor<Integer> implements CounterActions {
        public Counter() {
            super(0);
        }

        @Override
        public void increment(int by) {
            setState(state() + by);
        }

        @Override
        public CompletableFuture<Integer> total() {
            return reply(state());
        }
    }

    static final ActorToken<CounterActions, Integer> COUNTER =
            ActorToken.of("counter", CounterActions.class, Integer.class);

    private static final Duration REACH_TIMEOUT = Duration.ofSeconds(15);

    private RemoteCounter() {}

    public static void main(String[] args) throws Exception {
        System.setProperty(
                "org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        int status;
        try {
            status = run(args);
        } catch (UsageException e) {
            System.err.println("remote-counter: " + e.getMessage());
            System.err.println("usage: serve (--listen HOST:PORT | --server URI --room ROOM) [--identity FILE]");
            System.err.println(
                    "       call  (--connect URI | --server URI --room ROOM) --node DID (increment N | total)");
            System.err.println("       watch (--connect URI | --server URI --room ROOM) --node DID --seconds S");
            status = 2;
        } catch (Exception e) {
            Throwable cause =
                    e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            System.err.println("remote-counter: " + cause.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    private static int run(String[] args) throws Exception {
        if (args.length == 0) {
            throw new UsageException("no command");
        }
        Options options = Options.parse(args);
        return switch (args[0]) {
            case "serve" -> serve(options);
            case "call" -> call(options);
            case "watch" -> watch(options);
            default -> throw new UsageException("unknown command '" + args[0] + "' (commands: serve, call, watch)");
        };
    }

    private static int serve(Options options) throws Exception {
        PeerIdentity identity = options.has("identity")
                ? PeerIdentity.loadOrCreate(Path.of(options.get("identity")))
                : PeerIdentity.generate();
        Transport transport;
        if (options.has("listen")) {
            String listen = options.get("listen");
            int colon = listen.lastIndexOf(':');
            if (colon < 0) {
                throw new UsageException("--listen must be HOST:PORT but is '" + listen + "'");
            }
            transport = DirectTransport.create(DirectTransportConfig.builder(identity)
                    .listen(listen.substring(0, colon), port(listen.substring(colon + 1)))
                    .build());
        } else {
            transport = relay(options, identity);
        }
        ActorSystem system =
                ActorSystem.builder("counter-node").add(COUNTER, Counter::new).start();
        RemoteActors remote = RemoteActors.builder(system, transport).start();
        // An example: every node that proves its did:key may use the counter. A real deployment
        // names the nodes it trusts with AccessPolicy.none().allow(permission, node).
        remote.expose(COUNTER, AccessPolicy.everyone(Permission.values()));
        System.out.println("node " + identity.peerId());
        if (transport instanceof DirectTransport direct) {
            String host =
                    options.get("listen").substring(0, options.get("listen").lastIndexOf(':'));
            System.out.println("listening ws://" + host + ":" + direct.port() + "/");
        }
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            remote.close();
            system.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private static int call(Options options) throws Exception {
        List<String> words = options.positional();
        if (words.isEmpty()) {
            throw new UsageException("call needs an action: increment N, or total");
        }
        String action = words.get(0);
        if (!action.equals("increment") && !action.equals("total")) {
            System.err.println("remote-counter: unknown action '" + action + "' (actions: increment N, total)");
            return 1;
        }
        if (action.equals("increment") && words.size() != 2) {
            throw new UsageException("increment needs one number: increment N");
        }
        int by = action.equals("increment") ? number(words.get(1), "N") : 0;
        try (Node node = Node.connect(options)) {
            ActorClient<CounterActions, Integer> counter = node.system.client(COUNTER);
            if (action.equals("increment")) {
                counter.actions().increment(by);
                // Calls from one node arrive in order, so when total() answers, the tell has been
                // handled: only then may this process close its connection.
                counter.actions().total().get(REACH_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } else {
                System.out.println(counter.actions().total().get(REACH_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
        }
        return 0;
    }

    private static int watch(Options options) throws Exception {
        int seconds = number(options.get("seconds"), "--seconds");
        try (Node node = Node.connect(options)) {
            ActorClient<CounterActions, Integer> counter = node.system.client(COUNTER);
            CountDownLatch down = new CountDownLatch(1);
            AtomicBoolean watching = new AtomicBoolean(true);
            counter.onState(total -> System.out.println("state " + total));
            counter.onDown(gone -> {
                // Closing this node at the end ends the client too: that is no news about the counter.
                if (watching.get()) {
                    System.out.println("down "
                            + (gone.cause() == null ? "stopped" : gone.cause().getMessage()));
                    down.countDown();
                }
            });
            down.await(seconds, TimeUnit.SECONDS);
            watching.set(false);
        }
        return 0;
    }

    private static Transport relay(Options options, PeerIdentity identity) throws UsageException {
        if (!options.has("server") || !options.has("room")) {
            throw new UsageException("say where the nodes meet: --listen/--connect (direct) or --server and --room");
        }
        return WebSocketTransport.create(
                WebSocketTransportConfig.builder(URI.create(options.get("server")), options.get("room"), identity)
                        .build());
    }

    private static int port(String text) throws UsageException {
        int port = number(text, "the port");
        if (port > 65535) {
            throw new UsageException("the port must be within 0..65535 but is " + port);
        }
        return port;
    }

    private static int number(String text, String what) throws UsageException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException(what + " must be a whole number but is '" + text + "'");
        }
    }

    /** A calling node: a system whose configuration places the counter on the node to call. */
    private static final class Node implements AutoCloseable {
        final ActorSystem system;
        final RemoteActors remote;

        private Node(ActorSystem system, RemoteActors remote) {
            this.system = system;
            this.remote = remote;
        }

        static Node connect(Options options) throws Exception {
            PeerId node;
            try {
                node = PeerId.parse(options.get("node"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--node: " + e.getMessage());
            }
            PeerIdentity identity = PeerIdentity.generate();
            Transport transport = options.has("connect")
                    ? DirectTransport.create(DirectTransportConfig.builder(identity)
                            .dial(URI.create(options.get("connect")), node)
                            .build())
                    : relay(options, identity);
            // Placement as data: the code below asks the system for COUNTER; this says where it runs.
            ActorSystemConfig placement =
                    ActorSystemConfig.fromJson("{\"actors\":{\"counter\":{\"node\":\"" + node + "\"}}}", "placement");
            ActorSystem system = ActorSystem.builder("caller").config(placement).start();
            List<String> errors = new ArrayList<>();
            RemoteActors remote = RemoteActors.builder(system, new Reporting(transport, errors))
                    .start();
            long deadline = System.nanoTime() + REACH_TIMEOUT.toNanos();
            while (!remote.isUp(node)) {
                if (System.nanoTime() > deadline) {
                    remote.close();
                    system.close();
                    throw new IOException("node " + node + " was not reached within " + REACH_TIMEOUT.toSeconds() + " s"
                            + (errors.isEmpty() ? "" : ": " + errors.get(errors.size() - 1)));
                }
                Thread.sleep(20);
            }
            return new Node(system, remote);
        }

        @Override
        public void close() {
            remote.close();
            system.close();
        }
    }

    /** Keeps the transport's last errors, to say why a node could not be reached. */
    private static final class Reporting implements Transport {
        private final Transport inner;
        private final List<String> errors;

        Reporting(Transport inner, List<String> errors) {
            this.inner = inner;
            this.errors = errors;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public int maxMessageSize() {
            return inner.maxMessageSize();
        }

        @Override
        public void start(TransportListener listener) {
            inner.start(new TransportListener() {
                @Override
                public void onPeerConnected(PeerId peer) {
                    listener.onPeerConnected(peer);
                }

                @Override
                public void onPeerDisconnected(PeerId peer, String reason) {
                    listener.onPeerDisconnected(peer, reason);
                }

                @Override
                public void onUnsent(PeerId peer, List<byte[]> messages) {
                    listener.onUnsent(peer, messages);
                }

                @Override
                public void onMessage(PeerId from, byte[] message) {
                    listener.onMessage(from, message);
                }

                @Override
                public void onError(TransportException error) {
                    synchronized (errors) {
                        errors.add(error.getMessage());
                    }
                    listener.onError(error);
                }
            });
        }

        @Override
        public boolean send(PeerId to, byte[] message) {
            return inner.send(to, message);
        }

        @Override
        public int queueSize(PeerId peer) {
            return inner.queueSize(peer);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** {@code --key value} options and the words that are not options. */
    private record Options(Map<String, String> values, List<String> positional) {
        static Options parse(String[] args) throws UsageException {
            Map<String, String> values = new HashMap<>();
            List<String> positional = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                if (args[i].startsWith("--")) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(args[i] + " needs a value");
                    }
                    values.put(args[i].substring(2), args[++i]);
                } else {
                    positional.add(args[i]);
                }
            }
            return new Options(values, positional);
        }

        boolean has(String key) {
            return values.containsKey(key);
        }

        String get(String key) throws UsageException {
            String value = values.get(key);
            if (value == null) {
                throw new UsageException("--" + key + " is required");
            }
            return value;
        }
    }

    /** A mistake on the command line; exits 2 with the usage. */
    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
