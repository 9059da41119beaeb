package example;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A chat room and a moderator in an actor system: the moderator reacts to every message of the
 * room inside its own turn, and a crash restarts the room with fresh state.
 */
public final class HelloEnsemble {
    public interface RoomActions {
        void post(String author, String text);

        CompletableFuture<List<String>> history();
    }

    public record RoomState(List<String> messages) {}

    public static final class Room extends Actor<RoomState> implements RoomActions {
        public Room() {
            super(new RoomState(List.of()));
        }

        @Override
        public void post(String author, String text) {
            if (text.isBlank()) {
                throw new IllegalArgumentException(author + " posted an empty message");
            }
            List<String> next = new ArrayList<>(state().messages());
            next.add(author + ": " + text);
            setState(new RoomState(List.copyOf(next)));
            emit("posted", author);
        }

        @Override
        public CompletableFuture<List<String>> history() {
            return reply(state().messages());
        }
    }

    public interface ModeratorActions {
        CompletableFuture<Integer> postsSeen();
    }

    public static final class Moderator extends Actor<Integer> implements ModeratorActions {
        public Moderator() {
            super(0);
        }

        @Override
        protected void onStart() {
            reactToEvents(ROOM, event -> {
                if (event.name().equals("posted")) {
                    setState(state() + 1);
                }
            });
        }

        @Override
        public CompletableFuture<Integer> postsSeen() {
            return reply(state());
        }
    }

    static final ActorToken<RoomActions, RoomState> ROOM = ActorToken.of("room", RoomActions.class, RoomState.class);
    static final ActorToken<ModeratorActions, Integer> MODERATOR =
            ActorToken.of("moderator", ModeratorActions.class, Integer.class);

    public static void main(String[] args) throws Exception {
        try (ActorSystem system = ActorSystem.builder("hello")
                .add(ROOM, Room::new)
                .add(MODERATOR, Moderator::new, ROOM)
                .start()) {
            ActorClient<RoomActions, RoomState> room = system.client(ROOM);
            CountDownLatch threePosts = new CountDownLatch(3);
            room.onState(state -> threePosts.countDown());
            room.onEvent("action-failed", event -> System.out.println("refused: " + event.payload()));

            room.actions().post("ada", "hello, ensemble");
            room.actions().post("bob", "   ");
            room.actions().post("bob", "hi ada");
            room.actions().post("ada", "bye");

            if (!threePosts.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the room did not publish three states in 5 s");
            }
            System.out.println("history: " + room.actions().history().get());
            System.out.println("moderator saw "
                    + system.client(MODERATOR).actions().postsSeen().get() + " posts");
            System.out.println("actors: " + system.actors());
        }
    }
}
