package dev.ensemble.core.inspect;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A process that serves {@link InspectionServerTestInspector} at {@code DIRECTORY/PID-child.sock}
 * until it is ended, for the tests of what another process's socket looks like alive, after a
 * normal exit and after a kill.
 */
public final class InspectionServerTestMain {
    private InspectionServerTestMain() {}

    /**
     * @param args the directory of the socket
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]).resolve(ProcessHandle.current().pid() + "-child.sock");
        InspectionServer.start(new InspectionServerTestInspector(), socket, InspectionAccess.READ);
        System.out.println("listening on " + socket);
        new CountDownLatch(1).await(); // until SIGTERM or SIGKILL; close() is never called
    }
}
