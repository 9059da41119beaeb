package dev.ensemble.testkit.process;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The child that {@link ChildProcessTest} starts: runs its arguments as steps, in order.
 *
 * <ul>
 *   <li>{@code out:TEXT} and {@code err:TEXT} print a line; {@code partial:TEXT} prints without
 *       ending the line
 *   <li>{@code env:NAME} prints {@code NAME=value}
 *   <li>{@code echo} prints every line read from standard input as {@code echo TEXT} until {@code
 *       exit} is read
 *   <li>{@code hook} prints {@code shutting down} when the JVM shuts down (SIGTERM)
 *   <li>{@code block} waits for input forever (until killed)
 *   <li>{@code exit:N} ends with exit code N
 * </ul>
 */
public final class ScriptedMain {

    private ScriptedMain() {}

    public static void main(String[] args) throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String step : args) {
            String value = step.substring(step.indexOf(':') + 1);
            if (step.startsWith("out:")) {
                System.out.println(value);
            } else if (step.startsWith("err:")) {
                System.err.println(value);
            } else if (step.startsWith("partial:")) {
                System.out.print(value);
                System.out.flush();
            } else if (step.startsWith("env:")) {
                System.out.println(value + "=" + System.getenv(value));
            } else if (step.equals("echo")) {
                for (String line = stdin.readLine(); line != null && !line.equals("exit"); line = stdin.readLine()) {
                    System.out.println("echo " + line);
                }
            } else if (step.equals("hook")) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutting down")));
            } else if (step.equals("block")) {
                Object never = new Object();
                synchronized (never) {
                    never.wait();
                }
            } else if (step.startsWith("exit:")) {
                System.exit(Integer.parseInt(value));
            } else {
                throw new IllegalArgumentException("unknown step " + step);
            }
        }
    }
}
