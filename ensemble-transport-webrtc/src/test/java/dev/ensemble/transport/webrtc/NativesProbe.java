package dev.ensemble.transport.webrtc;

/** Run in a child JVM: prints whether the natives load and, if not, why. */
public final class NativesProbe {

    private NativesProbe() {}

    public static void main(String[] args) {
        boolean available = WebRtcNatives.isAvailable();
        System.out.println("available=" + available);
        System.out.println("reason=" + WebRtcNatives.unavailableReason().orElse(""));
        try {
            WebRtcTransport.create(
                    dev.ensemble.transport.PeerId.of("did:key:probe"),
                    new MemorySignalHub().endpoint(dev.ensemble.transport.PeerId.of("did:key:probe")),
                    WebRtcConfig.defaults());
            System.out.println("create=ok");
        } catch (WebRtcUnavailableException e) {
            System.out.println("create=" + e.getMessage());
        }
    }
}
