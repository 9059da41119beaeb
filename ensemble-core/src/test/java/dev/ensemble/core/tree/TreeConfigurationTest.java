package dev.ensemble.core.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ensemble.core.ActorClient;
import dev.ensemble.core.ActorStatus;
import dev.ensemble.core.ActorSystem;
import dev.ensemble.core.ActorSystemConfig;
import dev.ensemble.core.ActorSystemException;
import dev.ensemble.core.ActorToken;
import dev.ensemble.testkit.Await;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TreeConfigurationTest {
    private static final ActorToken<MemberActions, List<String>> MEMBER = Member.token("member");

    @SuppressWarnings("unchecked")
    private static final Class<List<String>> LIST = (Class<List<String>>) (Class<?>) List.class;

    private static ActorSystem.Builder withFactories(
            String name, Journal journal, ConcurrentHashMap<Integer, AtomicInteger> handled) {
        return ActorSystem.builder(name)
                .factory("member", MemberActions.class, LIST, Member.factory(journal, "member"))
                .factory("reader", PoolWorkerActions.class, Integer.class, PoolWorker.factory(handled));
    }

    private static String errorOf(String json) {
        return assertThrows(IllegalArgumentException.class, () -> ActorSystemConfig.fromJson(json, "test.json"))
                .getMessage();
    }

    private static String tree(String children) {
        return "{\"supervisors\": [{\"name\": \"ui\", \"children\": [" + children + "]}]}";
    }

    @Test
    void theCompleteExampleBuildsItsTreeRoutesAndPool() throws Exception {
        ConcurrentHashMap<Integer, AtomicInteger> handled = new ConcurrentHashMap<>();
        Journal journal = new Journal();
        try (ActorSystem system = withFactories("configured", journal, handled)
                .add(Member.token("settings"), Member.factory(journal, "settings"))
                .config(ActorSystemConfig.fromClasspath("tree-example.json"))
                .start()) {
            ActorClient<MemberActions, List<String>> button = system.client("/ui/button", MEMBER);
            assertEquals(
                    ActorStatus.RUNNING,
                    system.client("/ui/audit/trail", MEMBER).status());

            // file_read is forwarded to /file as read, which the pool handles.
            button.actions().publishMessage("file_read", 41);
            Await.until("a reader to handle it", () -> handled.containsKey(41));
            assertEquals(
                    2,
                    system.actors().stream()
                            .filter(a -> a.name().startsWith("/file/readers/"))
                            .count());
            assertTrue(
                    system.actors().stream()
                            .filter(a -> a.name().startsWith("/file/readers/"))
                            .allMatch(a -> a.dispatcher().startsWith("dedicated")),
                    system.actors()::toString);

            // saved: to the nested audit namespace and to log.
            button.actions().publishMessage("saved", "v2");
            Await.until(
                    "the trail to receive it",
                    () -> !system.client("/ui/audit/trail", MEMBER)
                            .actions()
                            .received()
                            .orTimeout(5, TimeUnit.SECONDS)
                            .join()
                            .isEmpty());

            // ui is one-for-all: a crash of log restarts button, log and the audit subtree.
            int before = journal.size();
            system.client("/ui/log", MEMBER).actions().crash("configured crash");
            Await.until("the whole of /ui to restart", () -> journal.size() >= before + 6, journal::entries);
        }
    }

    @Test
    void unknownKeysAreRejectedWithTheirJsonPath() {
        String error = errorOf(tree("{\"worker\": \"a\", \"factory\": \"member\", \"handle\": [\"x\"]}"));
        assertTrue(error.startsWith("test.json: supervisors[0].children[0]: unknown key \"handle\""), error);
    }

    @Test
    void impossibleBoundsAreRejectedWithTheirJsonPath() {
        String error =
                errorOf(tree("{\"pool\": \"p\", \"factory\": \"reader\", \"resizer\": {\"lower\": 5, \"upper\": 2}}"));
        assertEquals(
                "test.json: supervisors[0].children[0].resizer.upper: expected an upper bound >= the lower bound 5,"
                        + " but was 2",
                error);
        String size = errorOf(tree(
                "{\"pool\": \"p\", \"factory\": \"reader\", \"size\": 9, \"resizer\": {\"lower\": 1, \"upper\": 4}}"));
        assertTrue(
                size.contains("supervisors[0].children[0].size: expected a size within the resizer's bounds 1..4"),
                size);
        String window =
                errorOf(tree("{\"pool\": \"p\", \"factory\": \"reader\", \"resizer\": {\"lower\": 1, \"upper\": 4,"
                        + " \"periodMillis\": 100, \"windowMillis\": 50}}"));
        assertTrue(window.contains("resizer.windowMillis: expected a window of at least the period"), window);
        String arrival = errorOf(tree("{\"pool\": \"p\", \"factory\": \"reader\", \"resizer\": {\"lower\": 1,"
                + " \"upper\": 4, \"arrivalThreshold\": -1}}"));
        assertEquals(
                "test.json: supervisors[0].children[0].resizer.arrivalThreshold: expected an integer >= 0, but was -1",
                arrival);
    }

    @Test
    void aChildMustSayWhatItIs() {
        String error = errorOf(tree("{\"worker\": \"a\", \"pool\": \"b\", \"factory\": \"member\"}"));
        assertTrue(
                error.contains("supervisors[0].children[0]: expected exactly one of \"worker\", \"supervisor\" or"
                        + " \"pool\""),
                error);
        String strategy = errorOf("{\"supervisors\": [{\"name\": \"ui\", \"strategy\": \"all-for-one\"}]}");
        assertTrue(strategy.startsWith("test.json: supervisors[0].strategy: expected \"one-for-one\""), strategy);
        String route = errorOf(
                "{\"supervisors\": [{\"name\": \"ui\", \"routes\": {\"x\": [{\"forward\": \"file\", \"as\": \"y\"}]}}]}");
        assertTrue(route.contains("supervisors[0].routes.x[0].forward: expected an absolute namespace path"), route);
    }

    @Test
    void anUnknownFactoryFailsTheStartNamingTheFileAndPath() {
        ActorSystemConfig config =
                ActorSystemConfig.fromJson(tree("{\"worker\": \"a\", \"factory\": \"nope\"}"), "test.json");
        ActorSystemException error = assertThrows(
                ActorSystemException.class,
                () -> withFactories("no-factory", new Journal(), new ConcurrentHashMap<>())
                        .config(config)
                        .start());
        assertTrue(
                error.getMessage()
                        .contains("test.json: supervisors[0].children[0].factory: no factory is registered as"
                                + " \"nope\""),
                error.getMessage());
    }

    @Test
    void aConfiguredRoutingCycleIsRejected() {
        ActorSystemConfig config = ActorSystemConfig.fromJson(
                "{\"supervisors\": ["
                        + "{\"name\": \"a\", \"routes\": {\"x\": [{\"forward\": \"/b\", \"as\": \"y\"}]}},"
                        + "{\"name\": \"b\", \"routes\": {\"y\": [{\"forward\": \"/a\", \"as\": \"x\"}]}}]}",
                "test.json");
        ActorSystemException error = assertThrows(
                ActorSystemException.class,
                () -> withFactories("cycle", new Journal(), new ConcurrentHashMap<>())
                        .config(config)
                        .start());
        assertTrue(error.getMessage().contains("routing cycle: /a \"x\" -> /b \"y\" -> /a \"x\""), error.getMessage());
    }
}
