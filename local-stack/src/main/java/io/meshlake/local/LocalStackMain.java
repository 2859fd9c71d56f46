package io.meshlake.local;

import io.meshlake.query.LakeQueryCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./meshlake demo} and {@code ./meshlake query}. */
@Command(name = "meshlake", mixinStandardHelpOptions = true, subcommands = {LocalStackMain.Demo.class, LocalStackMain.Query.class},
    description = "meshlake on one machine: the whole lake on embedded defaults, with demo data.")
public final class LocalStackMain implements Callable<Integer> {

  static final Path DEFAULT_DATA = Path.of(".meshlake", "data");

  public static void main(String[] args) {
    int status = new CommandLine(new LocalStackMain()).execute(args);
    System.exit(status);
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 2;
  }

  @Command(name = "demo", mixinStandardHelpOptions = true,
      description = "Start the whole stack, publish demo data (once), answer the seed's analytics query, keep running until Ctrl-C.")
  static final class Demo implements Callable<Integer> {
    @Option(names = "--data", description = "data directory, reused across restarts (default: ${DEFAULT-VALUE})")
    Path data = DEFAULT_DATA;

    @Option(names = "--once", description = "exit after printing the results")
    boolean once;

    @Option(names = "--port-base", description = "first of the fixed ports (default: ${DEFAULT-VALUE}); see the README for the map")
    int portBase = StackPorts.DEFAULT_BASE;

    @Option(names = "--timeout", description = "how long to wait for the tables to fill (default: ${DEFAULT-VALUE})")
    Duration timeout = Duration.ofMinutes(10);

    @Override
    public Integer call() throws Exception {
      Progress progress = new Progress(System.out);
      StackPorts ports = new StackPorts(portBase);
      Files.createDirectories(data);
      progress.line("meshlake local stack — data in %s", data.toAbsolutePath());
      LocalStack stack = new LocalStack(data, ports, progress);
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        progress.line("stopping meshlake ...");
        stack.close();
        stopped.countDown();
      }, "meshlake-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      boolean matches;
      try {
        stack.start();
        DemoRunner demo = new DemoRunner(stack, progress, data);
        demo.publishOnce();
        demo.awaitLake(timeout);
        matches = demo.report();
      } catch (RuntimeException e) {
        progress.line("meshlake failed to come up: %s", e.getMessage());
        progress.line("(details in %s)", data.resolve("meshlake.log").toAbsolutePath());
        stopNow(stack, hook);
        return 1;
      }
      printEndpoints(progress, ports, stack);
      if (once) {
        stopNow(stack, hook);
        return matches ? 0 : 1;
      }
      progress.line("");
      progress.line("meshlake is running; Ctrl-C stops it (the data directory keeps everything for the next start).");
      stopped.await();
      return 0;
    }
  }

  static void stopNow(LocalStack stack, Thread hook) {
    Runtime.getRuntime().removeShutdownHook(hook);
    stack.close();
  }

  static void printEndpoints(Progress progress, StackPorts ports, LocalStack stack) {
    progress.line("");
    progress.line("Endpoints:");
    progress.line("  ingress Kafka       localhost:%d   (eu localhost:%d, us localhost:%d)", ports.ingressKafka(), ports.kafka("eu"), ports.kafka("us"));
    progress.line("  schema registry     %s", stack.registryUrl());
    progress.line("  region router       http://127.0.0.1:%d/health  /metrics  /held", ports.router());
    for (String r : LocalStack.REGIONS) {
      progress.line("  %s streams         http://127.0.0.1:%d/health  /metrics", r, ports.streams(r));
      progress.line("  %s Connect REST    http://127.0.0.1:%d/connectors", r, ports.connect(r));
      progress.line("  %s lake-query      http://127.0.0.1:%d/query   (POST {\"workspace\":\"...\",\"sql\":\"...\"})", r, ports.query(r));
    }
    progress.line("  tables              %s/<region>/lake/<table>", stack.data());
    progress.line("  query from a shell  ./meshlake query --workspace acme \"SELECT status, count(*) FROM jira_issue GROUP BY status\"");
  }

  @Command(name = "query", mixinStandardHelpOptions = true,
      description = "Run SQL over one workspace's refined tables (row-level security: only that workspace's rows).")
  static final class Query implements Callable<Integer> {
    @Option(names = "--workspace", required = true, description = "the workspace whose data the query sees")
    String workspace;

    @Option(names = "--data", description = "the demo's data directory (default: ${DEFAULT-VALUE})")
    Path data = DEFAULT_DATA;

    @Option(names = "--format", description = "table, json or csv (default: ${DEFAULT-VALUE})")
    String format = "table";

    @Parameters(index = "0", description = "one SELECT statement (Spark-flavoured SQL accepted)")
    String sql;

    @Override
    public Integer call() throws IOException {
      Path workspaces = data.resolve("workspaces.properties");
      if (!Files.exists(workspaces)) {
        System.err.println("no demo data in " + data.toAbsolutePath() + ": run ./meshlake demo first (or pass --data)");
        return 2;
      }
      Properties regions = new Properties();
      try (Reader in = Files.newBufferedReader(workspaces)) {
        regions.load(in);
      }
      String region = regions.getProperty(workspace);
      if (region == null) {
        System.err.println("unknown workspace '" + workspace + "'; the demo's workspaces are " + regions.stringPropertyNames());
        return 2;
      }
      PrintWriter out = new PrintWriter(System.out, true);
      PrintWriter err = new PrintWriter(System.err, true);
      return LakeQueryCli.run(new String[] {"--root", data.resolve(region).resolve("lake").toString(), "--workspace", workspace,
          "--format", format, sql}, out, err);
    }
  }
}
