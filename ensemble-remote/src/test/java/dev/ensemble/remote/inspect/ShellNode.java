package dev.ensemble.remote.inspect;

import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.PeerIdentity;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;

/**
 * A shell in its own JVM for the cross-process test: attaches to a node through a signaling
 * server's room with the identity of the given seed (as {@code ensemble-shell --server --room
 * --node} would), starts a trace, prints {@code tracing} once the hello came and the trace was sent,
 * then runs until killed.
 *
 * <p>Arguments: the server's URI, the room, the node's did:key, the identity's seed in hex.
 */
public final class ShellNode {
    private ShellNode() {}

    public static void main(String[] args) throws InterruptedException {
        CountDownLatch hello = new CountDownLatch(1);
        RemoteInspectionConnection connection = RemoteInspection.connect(
                URI.create(args[0]),
                args[1],
                PeerId.parse(args[2]),
                PeerIdentity.fromSeed(HexFormat.of().parseHex(args[3])),
                line -> hello.countDown(),
                Duration.ofSeconds(30));
        hello.await();
        connection.request("{\"id\":1,\"op\":\"trace\",\"path\":\"/\"}");
        System.out.println("tracing");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
