package dev.ensemble.transport.webrtc;

import dev.ensemble.testkit.transport.TestPeers;

/** Run in a child JVM: prints whether the natives load and, if not, why. */
public final class NativesProbe {

    private NativesProbe() {}

    public static void main(String[] args) {
        boolean available = WebRtcNatives.isAvailable();
        System.out.println("available=" + available);
        System.out.println("reason=" + WebRtcNatives.unavailableReason().orElse(""));
        try {
            WebRtcTransport.create(
                    TestPeers.id("probe"),
                    new MemorySignalHub().endpoint(TestPeers.id("probe")),
                    WebRtcConfig.defaults());
            System.out.println("create=ok");
        } catch (WebRtcUnavailableException e) {
            System.out.println("create=" + e.getMessage());
        }
    }
}
