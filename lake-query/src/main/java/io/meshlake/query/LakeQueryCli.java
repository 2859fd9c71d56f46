package io.meshlake.query;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshlake query}: runs one SQL query for one workspace over a table root and prints the
 * result. Exit codes: 0 answered, 1 the query was refused or failed (the reason on stderr), 2 the
 * command line or configuration is wrong.
 */
@Command(name = "meshlake query", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs a SQL query (Spark-flavoured SELECT) over one workspace's rows of the refined tables under --root.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:answered", "1:the query was refused or failed", "2:invalid command line or configuration"})
public final class LakeQueryCli implements Callable<Integer> {

  enum Format { table, json, csv }

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "Directory holding the region's Delta tables, e.g. data/eu/lake.")
  Path root;

  @Option(names = "--workspace", required = true, paramLabel = "ID", description = "The workspace whose rows the query sees.")
  String workspace;

  @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table (default), json or csv.")
  Format format;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "Value of :NAME in the SQL (a string). Repeatable.")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--list-param", paramLabel = "NAME=V1,V2", description = "A list for IN (:NAME). Repeatable.")
  Map<String, String> listParams = new LinkedHashMap<>();

  @Option(names = "--scope", paramLabel = "TABLE.COLUMN=V1,V2", description = "Only rows of TABLE whose COLUMN is one of the values. Repeatable.")
  List<String> scopes = List.of();

  @Option(names = "--max-rows", paramLabel = "N", description = "Rows printed at most (default ${DEFAULT-VALUE}).",
      defaultValue = "" + LakeQueryConfig.DEFAULT_MAX_ROWS)
  int maxRows;

  @Option(names = "--timeout-seconds", paramLabel = "S", description = "Cancel the query after S seconds (default ${DEFAULT-VALUE}).",
      defaultValue = "30")
  long timeoutSeconds;

  @Option(names = "--tables", description = "List the tables and their columns (with the workspace's row counts) instead of running SQL.")
  boolean tables;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SQL", description = "The query; - reads it from standard input.")
  String sql;

  private PrintWriter out;
  private PrintWriter err;

  public static void main(String[] args) {
    // Standalone, nothing binds SLF4J: say nothing about it on stderr, which carries the errors.
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8), new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
  }

  /** Runs the command; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    LakeQueryCli cli = new LakeQueryCli();
    cli.out = out;
    cli.err = err;
    CommandLine commandLine = new CommandLine(cli).setOut(out).setErr(err);
    return commandLine.execute(args);
  }

  @Override
  public Integer call() throws IOException {
    LakeQueryConfig config;
    QueryScope scope;
    try {
      config = LakeQueryConfig.forRoot(root).withMaxRows(maxRows).withTimeout(Duration.ofSeconds(timeoutSeconds));
      WorkspaceIds.require(workspace);
      scope = scope();
    } catch (IllegalArgumentException | QueryException e) {
      err.println("meshlake query: " + e.getMessage());
      return 2;
    }
    if (!tables && sql == null) {
      err.println("meshlake query: give the SQL to run (or - to read it from standard input), or --tables");
      return 2;
    }
    try (LakeQuery lakeQuery = new LakeQuery(config)) {
      if (tables) {
        printTables(lakeQuery.tables(workspace));
        return 0;
      }
      String text = "-".equals(sql) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : sql;
      Map<String, Object> values = new LinkedHashMap<>(params);
      listParams.forEach((name, list) -> values.put(name, Arrays.asList(list.split(","))));
      QueryResult result = lakeQuery.query(workspace, scope, text, values);
      switch (format) {
        case table -> out.print(ResultFormats.table(result));
        case csv -> out.print(ResultFormats.csv(result));
        case json -> out.println(ResultFormats.json(result).toPrettyString());
      }
      out.flush();
      return 0;
    } catch (QueryException e) {
      err.println("meshlake query: " + e.kind().code() + ": " + e.getMessage());
      return 1;
    }
  }

  private QueryScope scope() {
    QueryScope scope = QueryScope.none();
    for (String spec : scopes) {
      int eq = spec.indexOf('=');
      int dot = spec.indexOf('.');
      if (eq < 0 || dot < 0 || dot > eq) {
        throw new IllegalArgumentException("--scope '" + spec + "' must look like TABLE.COLUMN=V1,V2");
      }
      String values = spec.substring(eq + 1);
      scope = scope.restrict(spec.substring(0, dot), spec.substring(dot + 1, eq), values.isEmpty() ? List.of() : Arrays.asList(values.split(",")));
    }
    return scope;
  }

  private void printTables(List<TableInfo> infos) {
    for (TableInfo t : infos) {
      out.println(t.name() + " (" + t.rows() + " rows, version " + t.version() + ")");
      for (QueryResult.Column c : t.columns()) {
        out.println("  " + c.name() + " " + c.type());
      }
    }
    out.flush();
  }
}
