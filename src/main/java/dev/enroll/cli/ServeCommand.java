package dev.enroll.cli;

import dev.enroll.config.ConfigException;
import dev.enroll.server.EnrollServer;
import dev.enroll.server.StartupException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code enroll serve}: runs the service until SIGTERM or SIGINT, then drains and exits. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the enrollment service on the embedded store (or PostgreSQL).")
public final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
  private static volatile boolean serving;

  @Option(names = "--config", description = "YAML configuration (default: the bundled sample)")
  Path config;

  @Option(names = "--data", defaultValue = "./data",
      description = "Data directory (${DEFAULT-VALUE})")
  Path data;

  @Option(names = "--https-port", defaultValue = "8443",
      description = "API port (${DEFAULT-VALUE})")
  int httpsPort;

  @Option(names = "--http-port", defaultValue = "8080",
      description = "Port for CA certificates, CRL, OCSP, health and metrics (${DEFAULT-VALUE})")
  int httpPort;

  @Option(names = "--bind", description = "Address to listen on (default: server.bind)")
  String bind;

  static boolean serving() {
    return serving;
  }

  @Override
  public Integer call() throws InterruptedException {
    EnrollServer server;
    try {
      server = EnrollServer.start(new EnrollServer.Options(data, config, httpsPort, httpPort,
          bind, Clock.systemUTC(), System.getenv()));
    } catch (ConfigException e) {
      System.err.println("enroll: configuration error: " + e.getMessage());
      return 2;
    } catch (StartupException e) {
      System.err.println("enroll: cannot start: " + e.getMessage());
      return 1;
    }
    server.bootstrapAdminKey().ifPresent(key -> {
      System.out.println();
      System.out.println("Bootstrap admin API key (shown once; also in "
          + data.resolve("admin.key") + "):");
      System.out.println("  " + key);
      System.out.println();
      System.out.flush();
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop = () -> {
      LOG.atInfo().log("stopping: draining in-flight requests");
      server.close();
      stopped.countDown();
    };
    Signal.handle(new Signal("TERM"), signal -> new Thread(stop, "enroll-stop").start());
    Signal.handle(new Signal("INT"), signal -> new Thread(stop, "enroll-stop").start());
    serving = true;
    stopped.await();
    serving = false;
    return 0;
  }
}
