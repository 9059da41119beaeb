package dev.ensemble.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TextRendererTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TextRenderer text = new TextRenderer(JSON);

    private static JsonNode parse(String json) throws Exception {
        return JSON.readTree(json.replace('`', '"'));
    }

    private static final String LS_LONG = "{`path`:`/piano`,`entries`:["
            + "{`name`:`audio`,`path`:`/piano/audio`,`kind`:`actor`,`type`:`AudioActor`,`status`:`running`,"
            + "`mailbox`:3,`rate1s`:12.5,`rate10s`:10,`restarts`:0,`uptimeMs`:192000,`summary`:`muted=false`,"
            + "`futureField`:{`ignored`:true}},"
            + "{`name`:`room`,`path`:`/piano/room`,`kind`:`supervisor`,`type`:null,`status`:`restarting`,"
            + "`mailbox`:0,`rate1s`:0,`rate10s`:0.25,`restarts`:12,`uptimeMs`:5000,`summary`:`2 children`}]}";

    @Test
    void lsListsNamesWithContainersEndingInASlash() throws Exception {
        assertEquals("audio\nroom/\n", text.ls(parse(LS_LONG), false));
    }

    @Test
    void lsLongAlignsColumns() throws Exception {
        assertEquals(
                ""
                        + "NAME   KIND        TYPE        STATUS      MAILBOX  RATE1S  RATE10S  RESTARTS  UPTIME  SUMMARY\n"
                        + "audio  actor       AudioActor  running     3        12.5    10       0         3m12s   muted=false\n"
                        + "room/  supervisor  -           restarting  0        0       0.3      12        5s      2 children\n",
                text.ls(parse(LS_LONG), true));
    }

    @Test
    void lsLongShowsMissingFieldsAsDashes() throws Exception {
        assertEquals(
                ""
                        + "NAME  KIND  TYPE  STATUS  MAILBOX  RATE1S  RATE10S  RESTARTS  UPTIME  SUMMARY\n"
                        + "x     -     -     -       -        -       -        -         -       -\n",
                text.ls(parse("{`entries`:[{`name`:`x`}]}"), true));
    }

    @Test
    void treeDrawsBoxes() throws Exception {
        String tree = "{`path`:`/piano`,`root`:{`name`:`piano`,`path`:`/piano`,`kind`:`supervisor`,`children`:["
                + "{`name`:`audio`,`path`:`/piano/audio`,`kind`:`actor`,`children`:[]},"
                + "{`name`:`room`,`path`:`/piano/room`,`kind`:`supervisor`,`children`:["
                + "{`name`:`notes`,`path`:`/piano/room/notes`,`kind`:`actor`,`children`:[]},"
                + "{`name`:`presence`,`path`:`/piano/room/presence`,`kind`:`actor`,`children`:[]}]},"
                + "{`name`:`rooms`,`path`:`/piano/rooms`,`kind`:`namespace`,`children`:[]}]}}";
        assertEquals(
                ""
                        + "/piano\n"
                        + "├── audio\n"
                        + "├── room/\n"
                        + "│   ├── notes\n"
                        + "│   └── presence\n"
                        + "└── rooms/\n",
                text.tree(parse(tree)));
    }

    @Test
    void catPrintsTheStateAsIndentedJson() throws Exception {
        assertEquals(
                "{\n  \"muted\" : false,\n  \"notes\" : [ 60, 64 ]\n}\n",
                text.cat(parse("{`path`:`/piano/audio`,`type`:`AudioActor`,`state`:{`muted`:false,`notes`:[60,64]}}")));
    }

    @Test
    void actionsShowKindParametersAndReturns() throws Exception {
        String actions = "{`path`:`/a`,`actions`:["
                + "{`name`:`play`,`kind`:`tell`,`params`:[{`name`:`note`,`type`:`int`},{`name`:`velocity`,`type`:`int`}],`returns`:`void`},"
                + "{`name`:`volume`,`kind`:`ask`,`params`:[],`returns`:`Integer`},"
                + "{`name`:`reset`,`kind`:`tell`,`params`:[],`returns`:null}]}";
        assertEquals(
                ""
                        + "tell  play(note: int, velocity: int) -> void\n"
                        + "ask   volume() -> Integer\n"
                        + "tell  reset()\n",
                text.actions(parse(actions)));
    }

    @Test
    void sendShowsATellOrTheAsksReply() throws Exception {
        assertEquals(
                "sent mute to /piano/audio\n",
                text.send(parse("{`path`:`/piano/audio`,`action`:`mute`,`kind`:`tell`,`reply`:null}")));
        assertEquals(
                "{\n  \"volume\" : 7\n}\n",
                text.send(parse("{`path`:`/piano/audio`,`action`:`get`,`kind`:`ask`,`reply`:{`volume`:7}}")));
    }

    @Test
    void traceIsOneLinePerMessage() throws Exception {
        String trace = "{`time`:`2026-12-06T12:00:01.250Z`,`sender`:`/piano/room/notes`,`receiver`:`/piano/audio`,"
                + "`kind`:`tell`,`action`:`play`,`args`:`[60, 100]`,`queueUs`:12,`durationUs`:23456,`outcome`:`succeeded`}";
        assertEquals(
                "12:00:01.250 /piano/room/notes -> /piano/audio tell play([60, 100]) queued 12µs took 23.5ms succeeded\n",
                text.traceEvent(parse(trace)));
        String outside = "{`time`:`2026-12-06T12:00:01Z`,`sender`:null,`receiver`:`/a`,`kind`:`ask`,`action`:`get`,"
                + "`args`:``,`queueUs`:1,`durationUs`:2,`outcome`:`failed`}";
        assertEquals(
                "12:00:01.000 (outside) -> /a ask get() queued 1µs took 2µs failed\n", text.traceEvent(parse(outside)));
    }

    @Test
    void streamEndSaysWhyAndHowMany() throws Exception {
        assertEquals(
                "trace ended (max): 100 event(s)\n",
                text.streamEnd("trace", parse("{`ended`:`max`,`count`:100,`dropped`:0}")));
        assertEquals(
                "trace ended (actor-stopped): 4 event(s), 2 dropped\n",
                text.streamEnd("trace", parse("{`ended`:`actor-stopped`,`count`:4,`dropped`:2}")));
    }

    @Test
    void historyAndTopAndWatch() throws Exception {
        String history = "{`recording`:true,`capacity`:1000,`messages`:[{`time`:`2026-12-06T12:00:01.250Z`,"
                + "`sender`:null,`receiver`:`/a`,`kind`:`task`,`action`:`tick`,`args`:null,`queueUs`:5,"
                + "`durationUs`:6,`outcome`:`crashed`}]}";
        assertEquals(
                "history on, capacity 1000, 1 message(s)\n"
                        + "12:00:01.250 (outside) -> /a task tick() queued 5µs took 6µs crashed\n",
                text.history(parse(history)));
        String top = "{`time`:`2026-12-06T12:00:02Z`,`actors`:[{`name`:`audio`,`path`:`/piano/audio`,`kind`:`actor`,"
                + "`type`:`A`,`status`:`running`,`mailbox`:900,`rate1s`:1000,`rate10s`:950.5,`restarts`:1,"
                + "`uptimeMs`:7500000,`summary`:`busy`}]}";
        assertEquals(
                "top at 12:00:02.000\n"
                        + "PATH          KIND   TYPE  STATUS   MAILBOX  RATE1S  RATE10S  RESTARTS  UPTIME  SUMMARY\n"
                        + "/piano/audio  actor  A     running  900      1000    950.5    1         2h05m   busy\n",
                text.top(parse(top)));
        assertEquals(
                "12:00:01.250 {\"muted\":true}\n",
                text.watchEvent(parse("{`time`:`2026-12-06T12:00:01.250Z`,`state`:{`muted`:true}}")));
    }

    @Test
    void durationsReadLikePs() {
        assertEquals("45s", TextRenderer.duration(45_999));
        assertEquals("3m04s", TextRenderer.duration(184_000));
        assertEquals("2h05m", TextRenderer.duration(7_500_000));
        assertEquals("1d02h", TextRenderer.duration(93_600_000));
    }
}
