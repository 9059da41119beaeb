/**
 * The network tests run on: {@link dev.ensemble.testkit.net.NetNamespace} (whether WebRTC can
 * connect here) and {@link dev.ensemble.testkit.net.FreePorts} (port numbers nothing listens on).
 */
package dev.ensemble.testkit.net;
