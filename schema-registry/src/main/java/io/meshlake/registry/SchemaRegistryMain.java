package io.meshlake.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the registry: {@code java -jar schema-registry.jar [registry.properties]}. Settings come from
 * the file, each overridable by a {@code MESHLAKE_REGISTRY_*} environment variable (see
 * {@link RegistryConfig#fromProperties}). Exit status 2: bad configuration; 1: could not start.
 */
public final class SchemaRegistryMain {

  static final String USAGE = "usage: java -jar schema-registry.jar [registry.properties]\n"
      + "  settings: bootstrap.servers (required), listen.host, listen.port, topic, topic.replication.factor,\n"
      + "            default.compatibility, startup.timeout.ms, write.timeout.ms, http.threads, kafka.*\n"
      + "  each overridable by an environment variable, e.g. MESHLAKE_REGISTRY_BOOTSTRAP_SERVERS";

  private SchemaRegistryMain() {}

  public static void main(String[] args) throws InterruptedException {
    // The standalone server's logging; set before any logger exists. Embedders keep their own.
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "meshlake-registry-log4j2.xml");
    }
    SchemaRegistryServer server;
    try {
      server = start(args, System.getenv(), System.err);
    } catch (RegistryConfigException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    } catch (IllegalStateException e) {
      System.err.println("The schema registry could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "meshlake-registry-shutdown"));
    stopped.await();
  }

  /** Reads the configuration and starts the server; the part of {@link #main} that does not exit. */
  static SchemaRegistryServer start(String[] args, Map<String, String> environment, PrintStream warnings) {
    RegistryConfig config = loadConfig(args, environment);
    for (String name : RegistryConfig.unknownEnvironment(environment)) {
      warnings.println("warning: ignoring environment variable " + name + ": it names no registry setting");
    }
    return SchemaRegistryServer.start(config);
  }

  /** The configuration of {@code args} (an optional properties file) and the environment. */
  static RegistryConfig loadConfig(String[] args, Map<String, String> environment) {
    if (args.length > 1) {
      throw new RegistryConfigException("expected at most one argument, the properties file; got " + args.length);
    }
    Properties properties = new Properties();
    if (args.length == 1) {
      Path file = Path.of(args[0]);
      if (!Files.isRegularFile(file)) {
        throw new RegistryConfigException("the properties file '" + file.toAbsolutePath() + "' does not exist;"
            + " pass the path of a registry.properties (see schema-registry/config/registry.properties)");
      }
      try (InputStream in = Files.newInputStream(file)) {
        properties.load(in);
      } catch (IOException | IllegalArgumentException e) {
        throw new RegistryConfigException("cannot read the properties file '" + file + "': " + e.getMessage());
      }
    }
    return RegistryConfig.fromProperties(properties, environment);
  }
}
