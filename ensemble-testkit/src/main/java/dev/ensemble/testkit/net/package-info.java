/**
 * The network tests run on: {@link dev.ensemble.testkit.net.NetNamespace} (whether WebRTC can
 * connect here), {@link dev.ensemble.testkit.net.FreePorts} (port numbers nothing listens on) and
 * {@link dev.ensemble.testkit.net.CapturingProxy} (a TCP proxy that keeps what passes).
 */
package dev.ensemble.testkit.net;
