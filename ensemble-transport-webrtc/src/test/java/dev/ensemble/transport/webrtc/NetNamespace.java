package dev.ensemble.transport.webrtc;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import org.junit.jupiter.api.Assumptions;

/**
 * WebRTC gathers no loopback candidates, and on the build machines traffic may only stay on
 * 127.0.0.0/8 or inside a private network namespace. Tests that open peer connections therefore
 * run only inside netns-run, recognised by its veth address 10.99.0.1.
 */
final class NetNamespace {

    private NetNamespace() {}

    static boolean inside() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address.getHostAddress().equals("10.99.0.1")) {
                        return true;
                    }
                }
            }
            return false;
        } catch (SocketException e) {
            return false;
        }
    }

    static void assumeInside() {
        Assumptions.assumeTrue(inside(), "WebRTC tests run inside ../shared/tools/netns-run; see README");
    }
}
