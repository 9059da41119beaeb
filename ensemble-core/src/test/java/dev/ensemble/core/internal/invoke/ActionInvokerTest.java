package dev.ensemble.core.internal.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.Actor;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorToken;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Every shape of action reaches the actor with its arguments intact, in both calling forms. */
class ActionInvokerTest {
    /** Public, so that the generated form applies; one action per arity, and one past the limit. */
    public interface Shapes {
        void none();

        void one(long value);

        void two(String text, boolean flag);

        void three(double a, char b, byte c);

        void four(short a, float b, Object c, int d);

        void five(int a, int b, int c, int d, int e);

        CompletableFuture<String> askNone();

        CompletionStage<Integer> askFour(int a, int b, int c, int d);

        CompletableFuture<Integer> askFive(int a, int b, int c, int d, int e);

        CompletableFuture<Void> askThrows(String message) throws IOException;

        CompletionStage<String> askMinimal();

        default void viaDefault(String entry) {
            two(entry, true);
        }
    }

    /** Records every call it receives, in order. */
    static final class Recorder extends Actor<List<String>> implements Shapes {
        Recorder() {
            super(List.of());
        }

        private void record(String entry) {
            List<String> next = new java.util.ArrayList<>(state());
            next.add(entry);
            setState(List.copyOf(next));
        }

        @Override
        public void none() {
            record("none");
        }

        @Override
        public void one(long value) {
            record("one " + value);
        }

        @Override
        public void two(String text, boolean flag) {
            record("two " + text + " " + flag);
        }

        @Override
        public void three(double a, char b, byte c) {
            record("three " + a + " " + b + " " + c);
        }

        @Override
        public void four(short a, float b, Object c, int d) {
            record("four " + a + " " + b + " " + c + " " + d);
        }

        @Override
        public void five(int a, int b, int c, int d, int e) {
            record("five " + (a + b + c + d + e));
        }

        @Override
        public CompletableFuture<String> askNone() {
            return reply("none");
        }

        @Override
        public CompletionStage<Integer> askFour(int a, int b, int c, int d) {
            return reply(a * 1000 + b * 100 + c * 10 + d);
        }

        @Override
        public CompletableFuture<Integer> askFive(int a, int b, int c, int d, int e) {
            return reply(a + b + c + d + e);
        }

        @Override
        public CompletableFuture<Void> askThrows(String message) throws IOException {
            throw new IOException(message);
        }

        @Override
        public CompletionStage<String> askMinimal() {
            return CompletableFuture.completedFuture("minimal").minimalCompletionStage();
        }
    }

    private static final ActorToken<Shapes, List<String>> TOKEN = ActorToken.of("shapes", Shapes.class, listType());

    @SuppressWarnings("unchecked")
    private static Class<List<String>> listType() {
        return (Class<List<String>>) (Class<?>) List.class;
    }

    @Test
    void everyArityAndPrimitiveTypeArrivesIntact() throws Exception {
        try (ActorSystem system =
                ActorSystem.builder("shapes").add(TOKEN, Recorder::new).start()) {
            Shapes shapes = system.client(TOKEN).actions();
            shapes.none();
            shapes.one(Long.MAX_VALUE);
            shapes.two("text", true);
            shapes.three(1.5, 'x', (byte) -3);
            shapes.four((short) 7, 2.5f, null, -1);
            shapes.five(1, 2, 3, 4, 5);
            shapes.viaDefault("default");
            assertEquals("none", shapes.askNone().get());
            assertEquals(1234, shapes.askFour(1, 2, 3, 4).toCompletableFuture().get());
            assertEquals(15, shapes.askFive(1, 2, 3, 4, 5).get());
            assertEquals("minimal", shapes.askMinimal().toCompletableFuture().get());
            assertEquals(
                    List.of(
                            "none",
                            "one " + Long.MAX_VALUE,
                            "two text true",
                            "three 1.5 x -3",
                            "four 7 2.5 null -1",
                            "five 15",
                            "two default true"),
                    system.client(TOKEN).state());
        }
    }

    @Test
    void aCheckedExceptionReachesTheAskerUnwrapped() {
        try (ActorSystem system =
                ActorSystem.builder("shapes").add(TOKEN, Recorder::new).start()) {
            CompletionException failed = assertThrows(
                    CompletionException.class,
                    () -> system.client(TOKEN).actions().askThrows("disk full").join());
            IOException cause = assertInstanceOf(IOException.class, failed.getCause());
            assertEquals("disk full", cause.getMessage());
        }
    }

    @Test
    void theSpreadFormCallsActionsOfAnyArityIncludingNone() throws Throwable {
        java.util.ArrayList<String> calls = new java.util.ArrayList<>();
        Shapes target = new Shapes() {
            @Override
            public void none() {
                calls.add("none");
            }

            @Override
            public void one(long value) {}

            @Override
            public void two(String text, boolean flag) {
                calls.add("two " + text + " " + flag);
            }

            @Override
            public void three(double a, char b, byte c) {}

            @Override
            public void four(short a, float b, Object c, int d) {}

            @Override
            public void five(int a, int b, int c, int d, int e) {}

            @Override
            public CompletableFuture<String> askNone() {
                return CompletableFuture.completedFuture("answer");
            }

            @Override
            public CompletionStage<Integer> askFour(int a, int b, int c, int d) {
                return null;
            }

            @Override
            public CompletableFuture<Integer> askFive(int a, int b, int c, int d, int e) {
                return null;
            }

            @Override
            public CompletableFuture<Void> askThrows(String message) throws IOException {
                throw new IOException(message);
            }

            @Override
            public CompletionStage<String> askMinimal() {
                return null;
            }
        };
        assertNull(ActionInvoker.spread(Shapes.class.getMethod("none")).invoke(target, null));
        ActionInvoker.spread(Shapes.class.getMethod("two", String.class, boolean.class))
                .invoke(target, new Object[] {"x", true});
        assertEquals(List.of("none", "two x true"), calls);
        Object answer = ActionInvoker.spread(Shapes.class.getMethod("askNone")).invoke(target, null);
        assertEquals("answer", ((CompletableFuture<?>) answer).get());
        IOException thrown = assertThrows(
                IOException.class,
                () -> ActionInvoker.spread(Shapes.class.getMethod("askThrows", String.class))
                        .invoke(target, new Object[] {"unwrapped"}));
        assertEquals("unwrapped", thrown.getMessage());
        assertFalse(ActionInvoker.spread(Shapes.class.getMethod("none")).generated());
    }

    @Test
    void actionsUpToTheLimitAreGeneratedAndLongerOnesAreSpread() throws Exception {
        ActionTable table = ActionTable.of(Shapes.class);
        for (Method method : Shapes.class.getMethods()) {
            ActionTable.Action action = table.lookup(method);
            assertEquals(method.getName(), action.name());
            if (method.getParameterCount() <= ActionCalls.MAX_ARITY) {
                assertTrue(action.invoker().generated(), method.getName() + " should be generated");
            } else {
                assertFalse(action.invoker().generated(), method.getName() + " should be spread");
            }
        }
    }
}
