package dev.ensemble.transport.ws;

import dev.ensemble.collab.transport.PeerId;

/**
 * Receives the WebRTC signals (SDP offers and answers, ICE candidates, ...) that other peers of
 * the room send to this peer through the signaling server. Register one with {@link
 * WebSocketTransport#signalListener(SignalListener)}; send with {@link
 * WebSocketTransport#sendSignal(PeerId, String)}. The methods are empty so that a new event breaks
 * nobody; {@link #NONE} ignores everything.
 *
 * <h2>Threading and duties</h2>
 *
 * Called on the transport's own thread, in order with its {@code TransportListener} callbacks: a
 * signal from a peer arrives after that peer's {@code onPeerConnected} and before its {@code
 * onPeerDisconnected}. Callbacks must be fast (only hand the signal to its owner, e.g. an actor's
 * mailbox), must not block and must not throw. They may call {@code sendSignal}.
 *
 * <pre>{@code
 * transport.signalListener(new SignalListener() {
 *   @Override public void onSignal(PeerId from, String data) {
 *     negotiator.tell(new RemoteSignal(from, data));
 *   }
 * });
 * }</pre>
 */
public abstract class SignalListener {

  /** A listener that ignores every signal. */
  public static final SignalListener NONE = new SignalListener() {};

  /** Creates a listener. */
  protected SignalListener() {}

  /**
   * A signal arrived from a peer of the room.
   *
   * @param from the sender, as verified by the signaling server
   * @param data the JSON object the sender passed, as compact JSON text
   */
  public void onSignal(PeerId from, String data) {}
}
