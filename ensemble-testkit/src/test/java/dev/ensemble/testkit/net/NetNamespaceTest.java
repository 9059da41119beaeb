package dev.ensemble.testkit.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** Runs both inside netns-run (where the veth address exists) and outside it. */
class NetNamespaceTest {

    @Test
    void insideMeansAnInterfaceHereHasTheVethAddress() throws Exception {
        boolean hasAddress =
                NetworkInterface.getByInetAddress(InetAddress.getByName(NetNamespace.VETH_ADDRESS)) != null;
        assertEquals(hasAddress, NetNamespace.inside());
    }

    @Test
    void assumeInsideSkipsOnlyOutsideAndSaysWhy() {
        if (NetNamespace.inside()) {
            NetNamespace.assumeInside();
        } else {
            TestAbortedException skipped = assertThrows(TestAbortedException.class, NetNamespace::assumeInside);
            assertTrue(
                    skipped.getMessage().contains("only inside netns-run's network namespace"), skipped.getMessage());
        }
    }
}
