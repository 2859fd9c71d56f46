package io.meshlake.router;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Runs the router as a process: {@code java -jar region-router.jar <router.properties>} (or
 * {@code java -cp ... io.meshlake.router.RegionRouterMain <router.properties>}). Settings come from the
 * file, each overridable by a {@code MESHLAKE_ROUTER_*} environment variable (see
 * {@link RegionRouterConfig#fromProperties}). Exit status 2: bad configuration; 1: could not start
 * or stopped on an error; 0: stopped by a signal.
 */
public final class RegionRouterMain {

  static final String USAGE = "usage: java -jar region-router.jar [router.properties]\n"
      + "  required: bootstrap.servers, regions, region.<name>.bootstrap.servers for each region\n"
      + "  each setting overridable by an environment variable, e.g. MESHLAKE_ROUTER_BOOTSTRAP_SERVERS,\n"
      + "  MESHLAKE_ROUTER_REGION_EU_BOOTSTRAP_SERVERS; see region-router/README.md";

  private RegionRouterMain() {}

  public static void main(String[] args) throws InterruptedException {
    // The standalone router's logging; set before any logger exists. Embedders keep their own.
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "meshlake-router-log4j2.xml");
    }
    RegionRouterApp app;
    try {
      app = start(args, System.getenv(), System.err);
    } catch (RegionRouterConfigException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    } catch (IllegalStateException e) {
      System.err.println("The region router could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "region-router-shutdown"));
    KafkaStreams.State end = app.awaitStopped();
    if (end == KafkaStreams.State.ERROR) {
      System.err.println("The region router stopped on an error (see the log above); restart it to resume");
      System.exit(1);
    }
  }

  /** Reads the configuration and starts the router; the part of {@link #main} that does not exit. */
  static RegionRouterApp start(String[] args, Map<String, String> environment, PrintStream warnings) {
    Properties properties = readProperties(args);
    for (String name : RegionRouterConfig.unknownEnvironment(properties, environment)) {
      warnings.println("warning: ignoring environment variable " + name + ": it names no router setting");
    }
    return RegionRouterApp.start(RegionRouterConfig.fromProperties(properties, environment));
  }

  /** The configuration of {@code args} (an optional properties file) and the environment. */
  static RegionRouterConfig loadConfig(String[] args, Map<String, String> environment) {
    return RegionRouterConfig.fromProperties(readProperties(args), environment);
  }

  private static Properties readProperties(String[] args) {
    if (args.length > 1) {
      throw new RegionRouterConfigException("expected at most one argument, the properties file; got " + args.length);
    }
    Properties properties = new Properties();
    if (args.length == 1) {
      Path file = Path.of(args[0]);
      if (!Files.isRegularFile(file)) {
        throw new RegionRouterConfigException("the properties file '" + file.toAbsolutePath() + "' does not exist;"
            + " pass the path of a router.properties (see region-router/config/router.properties)");
      }
      try (InputStream in = Files.newInputStream(file)) {
        properties.load(in);
      } catch (IOException | IllegalArgumentException e) {
        throw new RegionRouterConfigException("cannot read the properties file '" + file + "': " + e.getMessage());
      }
    }
    return properties;
  }
}
