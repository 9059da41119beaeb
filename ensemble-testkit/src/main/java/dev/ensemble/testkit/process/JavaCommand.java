package dev.ensemble.testkit.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The command line that runs a main class of the test class path in a JVM of its own: the
 * {@code java} of the running JDK ({@code java.home}), then {@code
 * --enable-native-access=ALL-UNNAMED}, the JVM options, {@code -cp} with this JVM's class path,
 * the main class and its arguments. Native access is enabled because the children load native
 * libraries (webrtc-java, automerge) as the packaged jars do, whose manifests enable it: newer
 * JDKs warn on the console without it, and JDK 17, the project's minimum, accepts the option.
 *
 * <p>An immutable value: each method returns a new command. Start it with {@link
 * ChildProcess#builder(JavaCommand)}, or take {@link #toList()} to wrap it in another command.
 *
 * <pre>{@code
 * JavaCommand writer = JavaCommand.of(AppendingProcess.class)
 *         .jvmOptions("-Xmx64m", "-XX:TieredStopAtLevel=1")
 *         .args(directory.toString(), "1");
 * try (ChildProcess child = ChildProcess.builder(writer).start(dir, "writer")) { ... }
 * }</pre>
 *
 * <p>Thread-safe: immutable.
 */
public final class JavaCommand {

    private final String mainClass;
    private final List<String> jvmOptions;
    private final List<String> args;

    private JavaCommand(String mainClass, List<String> jvmOptions, List<String> args) {
        this.mainClass = mainClass;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.args = List.copyOf(args);
    }

    /**
     * @param mainClass a class with a {@code main} method, on this JVM's class path
     * @return a command that runs it without options or arguments
     */
    public static JavaCommand of(Class<?> mainClass) {
        return new JavaCommand(mainClass.getName(), List.of(), List.of());
    }

    /**
     * @param options JVM options, e.g. {@code "-Xmx64m"} or {@code "-Djava.awt.headless=true"}
     * @return this command with {@code options} after the ones it has
     */
    public JavaCommand jvmOptions(String... options) {
        return new JavaCommand(mainClass, concat(jvmOptions, List.of(options)), args);
    }

    /**
     * @param arguments arguments for the main class
     * @return this command with {@code arguments} after the ones it has
     */
    public JavaCommand args(String... arguments) {
        return args(List.of(arguments));
    }

    /**
     * @param arguments arguments for the main class
     * @return this command with {@code arguments} after the ones it has
     */
    public JavaCommand args(List<String> arguments) {
        return new JavaCommand(mainClass, jvmOptions, concat(args, arguments));
    }

    /**
     * @return the command line, program first
     */
    public List<String> toList() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * @return the main class's simple name and arguments, e.g. {@code "Main --headless"}
     */
    @Override
    public String toString() {
        String simpleName = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        return args.isEmpty() ? simpleName : simpleName + " " + String.join(" ", args);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        second.forEach(item -> all.add(Objects.requireNonNull(item, "null in a command line")));
        return all;
    }
}
