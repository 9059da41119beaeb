package dev.ensemble.core.bus;

/**
 * The action through which an actor receives bus messages: an actor that declares it handles
 * some names ({@link dev.ensemble.core.supervision.WorkerSpec#handling}) lets its actions
 * interface extend this one. Delivery is a tell: {@code receive} runs in the actor's turn like
 * any other action.
 *
 * <pre>{@code
 * public interface RecorderActions extends BusReceiver {}
 *
 * public void receive(BusMessage message) {
 *     switch (message.name()) {
 *         case "record" -> setState(state().with((Note) message.data()));
 *         default -> throw new IllegalArgumentException("unexpected " + message.name());
 *     }
 * }
 * }</pre>
 */
public interface BusReceiver {
    /**
     * Handles one bus message, in the actor's turn.
     *
     * @param message its name in this actor's namespace, its data and its sender
     */
    void receive(BusMessage message);
}
