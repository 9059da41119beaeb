package dev.ensemble.testkit.net;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether this JVM runs inside the private network namespace of the team's {@code netns-run}
 * tool, recognised by the namespace's first veth address {@value #VETH_ADDRESS} (its other end is
 * 10.99.0.2). WebRTC gathers no ICE candidates on loopback, and on the build machines traffic may
 * only stay on 127.0.0.0/8 or inside such a namespace: what opens WebRTC connections runs only
 * there, and is skipped (tests) or refused with advice (benchmarks) elsewhere. On a user's
 * ordinary machine none of this is needed; README.md says how to run the WebRTC tests.
 *
 * <pre>{@code
 * @BeforeEach
 * void onlyInsideTheNamespace() {
 *     NetNamespace.assumeInside();                 // skips the test elsewhere
 * }
 *
 * String expected = NetNamespace.inside() ? "WEBRTC" : "RELAY";
 * }</pre>
 *
 * <p>Thread-safe. The interfaces are read once per JVM: a process does not change namespace.
 */
public final class NetNamespace {

    /** The namespace's first veth address, on interface {@code v0}; TURN and test servers listen here. */
    public static final String VETH_ADDRESS = "10.99.0.1";

    private static final boolean INSIDE = hasAddress(VETH_ADDRESS);

    private NetNamespace() {}

    /**
     * @return whether this process sees the namespace's veth address {@value #VETH_ADDRESS}
     */
    public static boolean inside() {
        return INSIDE;
    }

    /**
     * Skips the calling test (a JUnit assumption) outside the namespace, saying why. Needs JUnit
     * Jupiter on the class path, as every test has.
     */
    public static void assumeInside() {
        Assumptions.assumeTrue(
                INSIDE,
                "WebRTC needs a non-loopback interface: this test runs only inside netns-run's network namespace"
                        + " (veth address " + VETH_ADDRESS + "), see README.md");
    }

    private static boolean hasAddress(String wanted) {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address.getHostAddress().equals(wanted)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (SocketException e) {
            // No interface can be listed, so none has the address: behave as outside.
            return false;
        }
    }
}
