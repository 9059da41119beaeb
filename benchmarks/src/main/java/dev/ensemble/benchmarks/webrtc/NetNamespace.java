package dev.ensemble.benchmarks.webrtc;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * Tells whether this process runs inside the private network namespace of the team's {@code
 * netns-run} tool, recognised by its veth address {@value #VETH_ADDRESS}. WebRTC gathers no ICE
 * candidates on loopback, and on the build machines traffic may only stay on 127.0.0.0/8 or inside
 * such a namespace, so the WebRTC suite and the WebRTC part of the piano suite run only there
 * ({@code benchmarks/run webrtc} and {@code benchmarks/run piano} enter it). Thread-safe: stateless.
 *
 * <pre>{@code
 * if (!NetNamespace.inside()) { ... skip what needs WebRTC ... }
 * }</pre>
 */
public final class NetNamespace {

    /** The address of the namespace's first veth end. */
    public static final String VETH_ADDRESS = "10.99.0.1";

    private NetNamespace() {}

    /** @return whether this process sees the namespace's veth address */
    public static boolean inside() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address.getHostAddress().equals(VETH_ADDRESS)) {
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
