/**
 * Direct peer-to-peer transport over WebRTC data channels (webrtc-java): {@link
 * dev.ensemble.transport.webrtc.WebRtcTransport}, its configuration, and the one-per-process
 * native library ({@link dev.ensemble.transport.webrtc.WebRtcNatives}).
 */
package dev.ensemble.transport.webrtc;
