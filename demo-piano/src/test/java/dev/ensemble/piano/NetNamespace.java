package dev.ensemble.piano;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * Whether the tests run inside netns-run (recognised by its veth address 10.99.0.1), where WebRTC
 * channels open between processes of this machine. Elsewhere a machine may have loopback only, and
 * the piano plays over the relay.
 */
public final class NetNamespace {

    private NetNamespace() {}

    /** @return whether this machine has the namespace's veth address */
    public static boolean inside() {
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
}
