package dev.ensemble.piano.cli;

import dev.ensemble.core.inspect.InspectionAccess;
import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.Player;
import dev.ensemble.piano.model.RoomSettings;
import dev.ensemble.transport.membership.HeldInvite;
import dev.ensemble.transport.membership.InviteChain;
import dev.ensemble.transport.membership.InviteException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The parsed command line.
 *
 * <pre>{@code
 * PianoOptions o = PianoOptions.parse("--headless", "--bot", "melody", "--seconds", "5");
 * }</pre>
 *
 * @param headless run without a window
 * @param bot what this player's bot plays: {@value #BUILT_IN_MELODY} or a MIDI file path; empty for no bot
 * @param bots how many bot players to run in this process (0: none)
 * @param seconds stop after this long; empty: when the bots finish their melody (or never, with no bot)
 * @param record the WAV file to render what this player heard into
 * @param name this player's name
 * @param instrument this player's instrument
 * @param help whether usage was asked for
 * @param server the signaling server to join the room through, if any
 * @param embedded whether to start a signaling server in this process and join through it (always
 *     true for the window and for {@code --bots} without {@code --server} or {@code --in-process})
 * @param room the room: {@code --room}, else a new random name when this process starts the signaling
 *     server, else {@value #DEFAULT_ROOM}
 * @param port the port of the embedded signaling server; 0 for a free one
 * @param stay whether bots that finished their melody stay in the room until {@code --seconds} or Ctrl-C
 * @param waitForPlayers how many players (this one included) must be in the room before the bots
 *     start; 0 for no wait
 * @param metronome the metronome this player turns on (and leads) once in the room, if any
 * @param logEvents the file to write what this player hears into, as JSON lines
 * @param relayOnly whether to play over the signaling server's relay only, never over WebRTC
 * @param inviteOut where to write the invite of the closed room this player creates (it owns the room)
 * @param invite the invite into a closed room, read from {@code --invite FILE}; the room is the invite's
 * @param inspect what a shell attaching to this process's local inspection socket may do: read
 *     (the default), write ({@code --inspect-write}); empty with {@code --no-inspect} (no socket)
 */
public record PianoOptions(
        boolean headless,
        Optional<String> bot,
        int bots,
        Optional<Duration> seconds,
        Optional<Path> record,
        String name,
        Instrument instrument,
        boolean help,
        Optional<URI> server,
        boolean embedded,
        String room,
        int port,
        boolean stay,
        int waitForPlayers,
        Optional<Metronome> metronome,
        Optional<Path> logEvents,
        boolean relayOnly,
        Optional<Path> inviteOut,
        Optional<HeldInvite> invite,
        Optional<InspectionAccess> inspect) {
    /** The room joined on a server given with {@code --server} when {@code --room} is not given. */
    public static final String DEFAULT_ROOM = "piano";

    private static final java.util.regex.Pattern ROOM = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The {@code --bot} value that plays the built-in melody. */
    public static final String BUILT_IN_MELODY = "melody";
    /** The most bots in one process. */
    public static final int MAX_BOTS = 15;
    /** The longest run asked for with {@code --seconds}: a day. */
    public static final long MAX_SECONDS = 86_400;

    /** The most players {@code --wait-for-players} can wait for. */
    public static final int MAX_WAIT_FOR_PLAYERS = 64;

    /** How long the invite written by {@code --invite-out} lets players in. */
    public static final Duration INVITE_VALIDITY = Duration.ofHours(24);

    /** The usage text. */
    public static final String USAGE = String.join(
            System.lineSeparator(),
            "usage: java -jar demo-piano.jar [options]",
            "",
            "With no options, starts a signaling server on 127.0.0.1, creates a room, opens the piano",
            "window in it and prints how a second player joins (--server ws://HOST:PORT --room NAME).",
            "",
            "  --server ws://HOST:PORT join a room through that signaling server",
            "  --room NAME             the room (default: a new random name on the embedded server, " + DEFAULT_ROOM
                    + " with --server)",
            "  --port N                the port of the embedded signaling server (default: a free one)",
            "  --relay-only            reach the other players through the signaling server only (default:",
            "                          a direct WebRTC channel to each, the server's relay where none opens)",
            "  --name NAME             your name (1-" + Player.MAX_NAME_LENGTH + " characters)",
            "  --instrument NAME       one of: " + Instrument.names(),
            "  --headless              run without a window; then, without --embedded, --server or --bots, the",
            "                          player is in a room inside this process",
            "  --embedded              with --headless: start a signaling server on 127.0.0.1 and play through it",
            "                          (the default with --bots)",
            "  --in-process            with --headless: the players share a room inside this process, no network",
            "  --bot [melody|FILE.mid] play the built-in melody (default) or a MIDI file (needs --headless)",
            "  --bots N                run N bot players (1-" + MAX_BOTS + ") in this process (needs --headless)",
            "  --seconds N             stop after N seconds (bots then loop their melody, unless --stay)",
            "  --stay                  bots play their melody once, then the player stays in the room until",
            "                          --seconds pass or Ctrl-C (needs --headless)",
            "  --wait-for-players N    the bots start once N players (1-" + MAX_WAIT_FOR_PLAYERS + ", this one"
                    + " included) are in the room (needs --headless)",
            "  --metronome BPM[/BEATS] turn the room's metronome on and lead it, e.g. 120/4 (needs --headless)",
            "  --record FILE.wav       render everything this player hears into a WAV file (needs --headless)",
            "  --log-events FILE       write what this player hears, one JSON object a line: notes (own and",
            "                          peers'), clicks, settings, players, the recording (needs --headless)",
            "  --invite-out FILE       create a closed room: this player owns it and writes an invite into FILE",
            "                          (valid " + INVITE_VALIDITY.toHours()
                    + " h) that lets others in; only they reach the players",
            "  --invite FILE           join the closed room of the invite in FILE (written by --invite-out)",
            "  --no-inspect            open no inspection socket (default: one, read-only, for ensemble-shell",
            "                          --pid PID; the piano prints the command at start)",
            "  --inspect-write         let a shell of this user send messages to the piano's actors (default:",
            "                          read-only)",
            "  --help                  this text",
            "",
            "At exit, headless runs print one line: SUMMARY {json}.");

    /**
     * The metronome asked for with {@code --metronome}.
     *
     * @param tempoBpm {@value RoomSettings#MIN_TEMPO} to {@value RoomSettings#MAX_TEMPO}
     * @param beatsPerBar {@value RoomSettings#MIN_BEATS_PER_BAR} to {@value RoomSettings#MAX_BEATS_PER_BAR}
     */
    public record Metronome(int tempoBpm, int beatsPerBar) {}

    /**
     * Parses a command line.
     *
     * @param args the arguments
     * @return the options
     * @throws UsageException naming the option and the value that is wrong
     */
    public static PianoOptions parse(String... args) throws UsageException {
        boolean headless = false;
        String bot = null;
        int bots = 0;
        Duration seconds = null;
        Path record = null;
        String name = null;
        Instrument instrument = Instrument.PIANO;
        boolean help = false;
        URI server = null;
        boolean embedded = false;
        String room = null;
        Integer port = null;
        boolean stay = false;
        boolean relayOnly = false;
        boolean noInspect = false;
        boolean inspectWrite = false;
        boolean inProcess = false;
        int waitForPlayers = 0;
        Metronome metronome = null;
        Path logEvents = null;
        Path inviteOut = null;
        HeldInvite invite = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--headless" -> headless = true;
                case "--help", "-h" -> help = true;
                case "--bot" -> {
                    if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        bot = args[++i];
                    } else {
                        bot = BUILT_IN_MELODY;
                    }
                }
                case "--bots" -> {
                    String value = value(args, i++, arg);
                    bots = (int) number(arg, value, 1, MAX_BOTS);
                }
                case "--seconds" -> {
                    String value = value(args, i++, arg);
                    double s;
                    try {
                        s = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        throw new UsageException("--seconds needs a number of seconds, but got \"" + value + "\"");
                    }
                    if (!(s > 0) || s > MAX_SECONDS) {
                        throw new UsageException(
                                "--seconds must be more than 0 and at most " + MAX_SECONDS + ", but was " + value);
                    }
                    seconds = Duration.ofNanos((long) (s * 1e9));
                }
                case "--record" -> {
                    String value = value(args, i++, arg);
                    if (!value.toLowerCase(Locale.ROOT).endsWith(".wav")) {
                        throw new UsageException(
                                "--record needs a file name ending in .wav, but got \"" + value + "\"");
                    }
                    record = Path.of(value);
                }
                case "--name" -> {
                    String value = value(args, i++, arg);
                    if (value.isBlank() || value.length() > Player.MAX_NAME_LENGTH) {
                        throw new UsageException("--name must be 1 to " + Player.MAX_NAME_LENGTH
                                + " characters and not blank, but was \"" + value + "\"");
                    }
                    name = value;
                }
                case "--instrument" -> {
                    String value = value(args, i++, arg);
                    try {
                        instrument = Instrument.parse(value);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--instrument: " + e.getMessage());
                    }
                }
                case "--embedded" -> embedded = true;
                case "--in-process" -> inProcess = true;
                case "--server" -> {
                    String value = value(args, i++, arg);
                    try {
                        server = new URI(value);
                    } catch (URISyntaxException e) {
                        throw new UsageException(
                                "--server needs a URL like ws://127.0.0.1:8787, but got \"" + value + "\"");
                    }
                    if (!"ws".equals(server.getScheme()) && !"wss".equals(server.getScheme())
                            || server.getHost() == null) {
                        throw new UsageException(
                                "--server needs a URL like ws://127.0.0.1:8787, but got \"" + value + "\"");
                    }
                }
                case "--room" -> {
                    String value = value(args, i++, arg);
                    if (!ROOM.matcher(value).matches()) {
                        throw new UsageException(
                                "--room must be 1 to 64 letters, digits, '.', '_' or '-', but was \"" + value + "\"");
                    }
                    room = value;
                }
                case "--port" -> port = (int) number(arg, value(args, i++, arg), 1, 65_535);
                case "--stay" -> stay = true;
                case "--relay-only" -> relayOnly = true;
                case "--no-inspect" -> noInspect = true;
                case "--inspect-write" -> inspectWrite = true;
                case "--wait-for-players" ->
                    waitForPlayers = (int) number(arg, value(args, i++, arg), 1, MAX_WAIT_FOR_PLAYERS);
                case "--metronome" -> metronome = metronome(value(args, i++, arg));
                case "--log-events" -> logEvents = Path.of(value(args, i++, arg));
                case "--invite-out" -> inviteOut = Path.of(value(args, i++, arg));
                case "--invite" -> invite = invite(value(args, i++, arg));
                default -> throw new UsageException("unknown option \"" + arg + "\"");
            }
        }
        if (!headless && !help) {
            String needsHeadless = bot != null
                    ? "--bot"
                    : bots > 0
                            ? "--bots"
                            : record != null
                                    ? "--record"
                                    : seconds != null
                                            ? "--seconds"
                                            : stay
                                                    ? "--stay"
                                                    : waitForPlayers > 0
                                                            ? "--wait-for-players"
                                                            : metronome != null
                                                                    ? "--metronome"
                                                                    : logEvents != null
                                                                            ? "--log-events"
                                                                            : inProcess ? "--in-process" : null;
            if (needsHeadless != null) {
                throw new UsageException(needsHeadless + " works only with --headless");
            }
        }
        if (server != null && embedded) {
            throw new UsageException("--server and --embedded exclude each other: join a server, or start one");
        }
        if (inProcess && (server != null || embedded)) {
            throw new UsageException("--in-process plays in a room inside this process, without a network: it"
                    + " excludes " + (server != null ? "--server" : "--embedded"));
        }
        // The window always plays over the network: on the server given, or on one it starts. So do
        // bots: a newcomer who runs several sees them reach each other as real players would.
        boolean startsServer = embedded || server == null && !inProcess && (!headless || bots > 0);
        if (port != null && !startsServer) {
            throw new UsageException("--port sets the port of the signaling server this program starts (the window"
                    + " or --bots without --server, or --headless --embedded), but none is started here");
        }
        if (invite != null && inviteOut != null) {
            throw new UsageException("--invite and --invite-out exclude each other: join a closed room, or create one");
        }
        if ((invite != null || inviteOut != null) && !startsServer && server == null) {
            throw new UsageException((invite != null ? "--invite" : "--invite-out")
                    + " needs a room on a signaling server (--server, --embedded, --bots or the window), not one"
                    + " inside this process");
        }
        if (invite != null) {
            String invited = invite.chain().invites().get(0).room();
            if (room != null && !room.equals(invited)) {
                throw new UsageException("--room " + room + " is not the room of the invite (" + invited
                        + "); leave --room out to join the invite's room");
            }
            room = invited;
        }
        if (noInspect && inspectWrite) {
            throw new UsageException("--inspect-write grants write access to the inspection socket that --no-inspect"
                    + " turns off: give one of them");
        }
        if (room == null) {
            room = startsServer ? RoomNames.random() : DEFAULT_ROOM;
        }
        return new PianoOptions(
                headless,
                Optional.ofNullable(bot),
                bots,
                Optional.ofNullable(seconds),
                Optional.ofNullable(record),
                name == null ? defaultName() : name,
                instrument,
                help,
                Optional.ofNullable(server),
                startsServer,
                room,
                port == null ? 0 : port,
                stay,
                waitForPlayers,
                Optional.ofNullable(metronome),
                Optional.ofNullable(logEvents),
                relayOnly,
                Optional.ofNullable(inviteOut),
                Optional.ofNullable(invite),
                noInspect
                        ? Optional.empty()
                        : Optional.of(inspectWrite ? InspectionAccess.WRITE : InspectionAccess.READ));
    }

    /** Reads an invite file, refusing what is not an invite into a room this piano can join. */
    private static HeldInvite invite(String file) throws UsageException {
        String text;
        int max = InviteChain.MAX_TEXT_LENGTH + 200;
        try {
            Path path = Path.of(file);
            // Sized before it is read: the wrong file (a recording, a disk image) must be a usage error, not a crash.
            long size = Files.size(path);
            if (size > max) {
                throw new UsageException("--invite: " + file + " is not an invite: it has " + size
                        + " bytes, an invite file at most " + max);
            }
            // Read no further than an invite file goes either: a device or a pipe has no size (/dev/zero says 0).
            byte[] bytes;
            try (java.io.InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(max + 1);
            }
            if (bytes.length > max) {
                throw new UsageException("--invite: " + file + " is not an invite: it goes on past " + max
                        + " bytes, an invite file's most");
            }
            text = StandardCharsets.US_ASCII
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (IOException | RuntimeException e) {
            throw new UsageException("--invite: cannot read " + file + " (" + e.getMessage() + ")");
        }
        HeldInvite held;
        try {
            held = HeldInvite.parse(text);
        } catch (InviteException e) {
            throw new UsageException("--invite: " + file + " is not an invite: " + e.getMessage());
        }
        InviteChain chain = held.chain();
        if (chain.isEmpty()) {
            throw new UsageException("--invite: " + file + " holds no invite (an owner needs none: use --invite-out)");
        }
        String room = chain.invites().get(0).room();
        if (!ROOM.matcher(room).matches()) {
            throw new UsageException("--invite: " + file + " is for room \"" + room
                    + "\", which is not a piano room name (1 to 64 letters, digits, '.', '_' or '-')");
        }
        return held;
    }

    private static Metronome metronome(String value) throws UsageException {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d{1,3})(?:/(\\d{1,2}))?").matcher(value);
        String rule = "--metronome needs BPM or BPM/BEATS with " + RoomSettings.MIN_TEMPO + " to "
                + RoomSettings.MAX_TEMPO + " BPM and " + RoomSettings.MIN_BEATS_PER_BAR + " to "
                + RoomSettings.MAX_BEATS_PER_BAR + " beats per bar (for example 120/4), but got \"" + value + "\"";
        if (!m.matches()) {
            throw new UsageException(rule);
        }
        int tempo = Integer.parseInt(m.group(1));
        int beats = m.group(2) == null ? RoomSettings.DEFAULT.beatsPerBar() : Integer.parseInt(m.group(2));
        if (tempo < RoomSettings.MIN_TEMPO
                || tempo > RoomSettings.MAX_TEMPO
                || beats < RoomSettings.MIN_BEATS_PER_BAR
                || beats > RoomSettings.MAX_BEATS_PER_BAR) {
            throw new UsageException(rule);
        }
        return new Metronome(tempo, beats);
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[i + 1];
    }

    private static long number(String option, String value, long min, long max) throws UsageException {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a whole number, but got \"" + value + "\"");
        }
        if (n < min || n > max) {
            throw new UsageException(option + " must be " + min + " to " + max + ", but was " + n);
        }
        return n;
    }

    private static String defaultName() {
        String user = System.getProperty("user.name", "player");
        if (user.isBlank()) {
            return "player";
        }
        return user.length() > Player.MAX_NAME_LENGTH ? user.substring(0, Player.MAX_NAME_LENGTH) : user;
    }
}
