/**
 * The signals two WebRTC peers exchange through the signaling server to set up a data channel:
 * session descriptions and trickled ICE candidates, as JSON in the shapes a browser's WebRTC API
 * produces, plus the seam ({@link dev.ensemble.transport.webrtc.signal.SignalChannel}) through
 * which the transport sends and receives them.
 */
package dev.ensemble.transport.webrtc.signal;
