package dev.ensemble.transport.webrtc;

import dev.ensemble.testkit.Await;
import dev.ensemble.testkit.net.NetNamespace;
import dev.ensemble.testkit.transport.TransportContractTest;
import dev.ensemble.transport.PeerId;
import dev.ensemble.transport.Transport;
import dev.ensemble.transport.webrtc.room.RoomPeer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The transport contract over real WebRTC data channels, negotiated through an in-memory signal
 * relay; inside netns-run only, skipped elsewhere. Each transport is a {@link MeshMember}, so that
 * starting it is enough to meet the others, as the contract expects of a room.
 */
class WebRtcTransportContractTest extends TransportContractTest {

    private MemorySignalHub hub;
    private final List<MeshMember> mesh = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startHub() {
        NetNamespace.assumeInside();
        hub = new MemorySignalHub();
    }

    @AfterEach
    void closeHub() {
        // The transports first: closing one still sends through the hub.
        mesh.forEach(MeshMember::close);
        if (hub != null) {
            hub.close();
        }
    }

    @Override
    protected Transport createTransport(PeerId peer) {
        MeshMember member =
                new MeshMember(WebRtcTransport.create(peer, hub.endpoint(peer), RoomPeer.fastRedial()), mesh);
        mesh.add(member);
        return member;
    }

    @Override
    protected void awaitCondition(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }

    /** A marker through every open channel, both ways: what was sent before it has arrived. */
    @Override
    protected void settle() {
        MeshMember.settle(mesh);
    }
}
