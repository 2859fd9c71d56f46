package io.meshlake.query;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs {@link LakeQueryServer} until the process is stopped (Ctrl-C). */
@Command(name = "lake-query-server", mixinStandardHelpOptions = true,
    description = "Serves POST /query, GET /tables and GET /metrics over the Delta tables under --root.")
public final class LakeQueryServerMain implements Callable<Integer> {

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "Directory holding the region's Delta tables.")
  Path root;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Interface to bind (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "" + ServerConfig.DEFAULT_PORT, description = "Port (default ${DEFAULT-VALUE}; 0 picks one).")
  int port;

  public static void main(String[] args) {
    // Standalone, nothing binds SLF4J (an embedding application brings its own): no warning about it.
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    System.exit(new CommandLine(new LakeQueryServerMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig config;
    try {
      config = ServerConfig.of(LakeQueryConfig.forRoot(root)).withHost(host).withPort(port);
    } catch (IllegalArgumentException e) {
      System.err.println("lake-query-server: " + e.getMessage());
      return 2;
    }
    LakeQueryServer server = LakeQueryServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }));
    System.out.println("lake-query listening on " + server.uri());
    stopped.await();
    return 0;
  }
}
