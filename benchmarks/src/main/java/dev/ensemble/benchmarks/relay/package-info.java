/**
 * Signaling server benchmarks: relay round trip against plain Java-WebSocket echo and forwarding
 * servers, relay fan-out with thousands of clients, and server heap per connection. Everything runs
 * on 127.0.0.1; the servers run in a child JVM. Run with {@code benchmarks/run relay [--quick]}.
 *
 * <p>The cluster suite ({@link dev.ensemble.benchmarks.relay.ClusterSuite}) runs the same round trip and
 * fan-out on one server and on two cluster nodes sharing a Redis, with the same pieces: {@code
 * benchmarks/run cluster [--quick]}.
 */
package dev.ensemble.benchmarks.relay;
