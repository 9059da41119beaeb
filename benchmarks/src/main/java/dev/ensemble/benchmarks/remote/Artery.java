package dev.ensemble.benchmarks.remote;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;

/** The Pekko side's settings: Artery over TCP on 127.0.0.1, classic remoting otherwise at its defaults. */
final class Artery {
    /** The actor system's name on both sides, part of the counter's address. */
    static final String SYSTEM = "remote-bench";

    private Artery() {}

    /** An actor system with Artery TCP on 127.0.0.1 at {@code port} (0: any free port). */
    static ActorSystem start(int port) {
        Config config = ConfigFactory.parseString(String.join(
                        "\n",
                        "pekko.actor.provider = remote",
                        "pekko.remote.artery.enabled = on",
                        "pekko.remote.artery.transport = tcp",
                        "pekko.remote.artery.canonical.hostname = \"127.0.0.1\"",
                        "pekko.remote.artery.canonical.port = " + port,
                        // Its log goes to standard output, which is the child's line protocol.
                        "pekko.loglevel = WARNING",
                        "pekko.stdout-loglevel = WARNING",
                        "pekko.log-dead-letters = off",
                        // Plain remoting between two fixed nodes is what is compared: no cluster, no watch.
                        "pekko.remote.warn-about-direct-use = off"))
                .withFallback(ConfigFactory.load());
        return ActorSystem.create(SYSTEM, config);
    }

    /** The port Artery listens on. */
    static int port(ActorSystem system) {
        return (Integer) ((ExtendedActorSystem) system)
                .provider()
                .getDefaultAddress()
                .port()
                .get();
    }
}
