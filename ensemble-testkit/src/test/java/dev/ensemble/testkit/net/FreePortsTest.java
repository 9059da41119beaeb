package dev.ensemble.testkit.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void aFreeTcpPortRefusesConnectionsAndCanBeBound() throws Exception {
        int port = FreePorts.tcp();

        try (Socket socket = new Socket()) {
            assertThrows(
                    ConnectException.class,
                    () -> socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000));
        }
        try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, server.getLocalPort());
        }
    }

    @Test
    void aFreeUdpPortCanBeBoundOnTheAddressItWasFoundOn() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int port = FreePorts.udp(loopback);

        try (DatagramSocket socket = new DatagramSocket(port, loopback)) {
            assertEquals(port, socket.getLocalPort());
        }
    }
}
