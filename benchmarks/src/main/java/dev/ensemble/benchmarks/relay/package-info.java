/**
 * Signaling server benchmarks: relay round trip against plain Java-WebSocket echo and forwarding
 * servers, relay fan-out with thousands of clients, and server heap per connection. Everything runs
 * on 127.0.0.1; the servers run in a child JVM. Run with {@code benchmarks/run relay [--quick]}.
 */
package dev.ensemble.benchmarks.relay;
