package dev.ensemble.testkit.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports that nothing listens on, for tests that need a port number before something binds it: a
 * server that must be given a port (coturn, Redis), or an address that must refuse connections.
 * The port is found by binding port 0 and closing the socket again; another process may take it
 * in between, so a server of our own that accepts port 0 should be started with 0 and asked for
 * its port instead.
 *
 * <pre>{@code
 * int closed = FreePorts.tcp();                       // nothing listens: connections are refused
 * client.connect(URI.create("ws://127.0.0.1:" + closed));
 *
 * int turnPort = FreePorts.udp(InetAddress.getByName(NetNamespace.VETH_ADDRESS));
 * }</pre>
 *
 * <p>Thread-safe: stateless.
 */
public final class FreePorts {

    private FreePorts() {}

    /**
     * @return a TCP port on 127.0.0.1 that was free a moment ago
     */
    public static int tcp() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind any TCP port on 127.0.0.1", e);
        }
    }

    /**
     * @param address a local address, e.g. the namespace's veth address
     * @return a UDP port on {@code address} that was free a moment ago
     */
    public static int udp(InetAddress address) {
        try (DatagramSocket socket = new DatagramSocket(0, address)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind any UDP port on " + address.getHostAddress(), e);
        }
    }
}
