package dev.ensemble.piano.cli;

import dev.ensemble.piano.model.Instrument;
import dev.ensemble.piano.model.Player;
import java.net.URI;
import java.net.URISyntaxException;
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
 * @param bots how many bot players to run in one local room (0: none)
 * @param seconds stop after this long; empty: when the bots finish their melody (or never, with no bot)
 * @param record the WAV file to render what this player heard into
 * @param name this player's name
 * @param instrument this player's instrument
 * @param help whether usage was asked for
 * @param server the signaling server to join the room through, if any
 * @param embedded whether to start a signaling server in this process and join through it
 * @param room the room to join on the signaling server
 */
public record PianoOptions(boolean headless, Optional<String> bot, int bots, Optional<Duration> seconds,
                           Optional<Path> record, String name, Instrument instrument, boolean help,
                           Optional<URI> server, boolean embedded, String room) {
    /** The room joined when {@code --room} is not given. */
    public static final String DEFAULT_ROOM = "piano";
    private static final java.util.regex.Pattern ROOM = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The {@code --bot} value that plays the built-in melody. */
    public static final String BUILT_IN_MELODY = "melody";
    /** The most bots in one process. */
    public static final int MAX_BOTS = 15;
    /** The longest run asked for with {@code --seconds}: a day. */
    public static final long MAX_SECONDS = 86_400;

    /** The usage text. */
    public static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar demo-piano.jar [options]",
            "",
            "With no options, opens the piano window in a local room.",
            "",
            "  --headless              run without a window",
            "  --bot [melody|FILE.mid] play the built-in melody (default) or a MIDI file (needs --headless)",
            "  --bots N                run N bot players (1-" + MAX_BOTS + ") in one local room (needs --headless)",
            "  --seconds N             stop after N seconds (bots then loop their melody)",
            "  --record FILE.wav       render everything this player hears into a WAV file (needs --headless)",
            "  --name NAME             your name (1-" + Player.MAX_NAME_LENGTH + " characters)",
            "  --instrument NAME       one of: " + Instrument.names(),
            "  --embedded              start a signaling server on 127.0.0.1 and play through it (needs --headless)",
            "  --server ws://HOST:PORT join a room through that signaling server (needs --headless)",
            "  --room NAME             the room to join (default " + DEFAULT_ROOM + ")",
            "  --help                  this text",
            "",
            "At exit, headless runs print one line: SUMMARY {json}.");

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
        String room = DEFAULT_ROOM;
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
                        throw new UsageException("--seconds must be more than 0 and at most " + MAX_SECONDS
                                + ", but was " + value);
                    }
                    seconds = Duration.ofNanos((long) (s * 1e9));
                }
                case "--record" -> {
                    String value = value(args, i++, arg);
                    if (!value.toLowerCase(Locale.ROOT).endsWith(".wav")) {
                        throw new UsageException("--record needs a file name ending in .wav, but got \"" + value
                                + "\"");
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
                case "--server" -> {
                    String value = value(args, i++, arg);
                    try {
                        server = new URI(value);
                    } catch (URISyntaxException e) {
                        throw new UsageException("--server needs a URL like ws://127.0.0.1:8787, but got \"" + value
                                + "\"");
                    }
                    if (!"ws".equals(server.getScheme()) && !"wss".equals(server.getScheme()) || server.getHost() == null) {
                        throw new UsageException("--server needs a URL like ws://127.0.0.1:8787, but got \"" + value
                                + "\"");
                    }
                }
                case "--room" -> {
                    String value = value(args, i++, arg);
                    if (!ROOM.matcher(value).matches()) {
                        throw new UsageException("--room must be 1 to 64 letters, digits, '.', '_' or '-', but was \""
                                + value + "\"");
                    }
                    room = value;
                }
                default -> throw new UsageException("unknown option \"" + arg + "\"");
            }
        }
        if (!headless && !help) {
            String needsHeadless = bot != null ? "--bot" : bots > 0 ? "--bots" : record != null ? "--record"
                    : seconds != null ? "--seconds" : server != null ? "--server" : embedded ? "--embedded" : null;
            if (needsHeadless != null) {
                throw new UsageException(needsHeadless + " works only with --headless");
            }
        }
        if (server != null && embedded) {
            throw new UsageException("--server and --embedded exclude each other: join a server, or start one");
        }
        return new PianoOptions(headless, Optional.ofNullable(bot), bots, Optional.ofNullable(seconds),
                Optional.ofNullable(record), name == null ? defaultName() : name, instrument, help,
                Optional.ofNullable(server), embedded, room);
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
