package dev.ensemble.remote;

import dev.ensemble.core.ActorSystem;
import dev.ensemble.remote.AccessPolicy.Permission;
import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * A node in its own JVM for the WebRTC tests (inside netns-run): joins a room of a signaling server,
 * serves the test counter to everyone over WebRTC data channels, prints {@code node <did:key>} once it
 * is ready, and runs until killed.
 *
 * <p>Arguments: the server's URI and the room.
 */
public final class WebRtcCounterNode {
    private WebRtcCounterNode() {}

    public static void main(String[] args) throws InterruptedException {
        ActorSystem system = ActorSystem.builder("webrtc-counter-node")
                .add(Counter.TOKEN, Counter::new)
                .start();
        WebRtcNode node = WebRtcNode.start(system, URI.create(args[0]), args[1], RemoteOverWebRtcTest::detector);
        node.remote.expose(Counter.TOKEN, AccessPolicy.everyone(Permission.values()));
        System.out.println("node " + node.id);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
