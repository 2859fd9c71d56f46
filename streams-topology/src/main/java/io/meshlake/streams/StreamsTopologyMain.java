package io.meshlake.streams;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -cp <classpath> io.meshlake.streams.StreamsTopologyMain <config.properties>}: runs the
 * application until it is stopped (SIGTERM closes it cleanly) or fails. Exit codes: 0 stopped,
 * 1 failed at start or while running (so an orchestrator restarts it), 2 bad usage or configuration.
 */
public final class StreamsTopologyMain {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsTopologyMain.class);

  private StreamsTopologyMain() {}

  public static void main(String[] args) throws InterruptedException {
    int code = run(args, System.getenv());
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, Map<String, String> environment) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: java -cp <classpath> " + StreamsTopologyMain.class.getName() + " <config.properties>"
          + " (settings may also come from " + StreamsTopologyConfig.ENV_PREFIX + "* environment variables)");
      return 2;
    }
    StreamsTopologyConfig config;
    try {
      config = StreamsTopologyConfig.fromProperties(load(Path.of(args[0])), environment);
    } catch (IOException e) {
      System.err.println("cannot read the configuration file " + args[0] + ": " + e);
      return 2;
    } catch (StreamsConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    StreamsTopologyApp app;
    try {
      app = StreamsTopologyApp.start(config);
    } catch (RuntimeException e) {
      LOG.error("streams-topology could not start", e);
      System.err.println("streams-topology could not start: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "meshlake-streams-shutdown"));
    KafkaStreams.State end = app.awaitTermination();
    app.close();
    return end == KafkaStreams.State.ERROR ? 1 : 0;
  }

  private static Properties load(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    return properties;
  }
}
