/**
 * WebRTC data channels against the WebSocket relay between the same two peers on the same signaling
 * server: round trip, throughput and channel open time. Runs inside a private network namespace
 * (WebRTC gathers no loopback candidates); run with {@code benchmarks/run webrtc [--quick]}.
 */
package dev.ensemble.benchmarks.webrtc;
