package io.meshlake.local;

import io.meshlake.bus.EntityChange;
import io.meshlake.bus.PublisherConfig;
import io.meshlake.bus.ReplicationBusPublisher;
import io.meshlake.query.QueryResult;
import io.meshlake.query.QueryScope;
import io.meshlake.router.ResidencyAdmin;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.TableFile;
import io.meshlake.table.storage.LocalTableStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The demo on a running stack: assigns the demo workspaces their regions, publishes their data once,
 * waits until every refined table holds it, then answers the seed's "Issues resolved per month" for
 * one workspace and prints row counts per table.
 */
final class DemoRunner {

  /** The seed's analytics query as Atlassian Analytics writes it, its UI placeholders as parameters. */
  static final String RESOLVED_PER_MONTH = """
      SELECT DATE_FORMAT(`Jira Issue`.`resolution_at`, 'yyyy-MM') AS `Month of Resolution At`,
      COUNT(DISTINCT `Jira Issue`.`issue_id`) AS `Issues resolved`
      FROM `%1$s`.`jira_issue` AS `Jira Issue`
      INNER JOIN `%1$s`.`jira_project` AS `Jira Project` ON `Jira Issue`.`project_id` = `Jira Project`.`project_id`
      WHERE (`Jira Issue`.`resolution_at` >= TIMESTAMP(:calendar_start))
      AND `Jira Issue`.`resolution_at` < (TIMESTAMP(:calendar_end) + INTERVAL 1 DAY)
      GROUP BY DATE_FORMAT(`Jira Issue`.`resolution_at`, 'yyyy-MM')
      ORDER BY COUNT(DISTINCT `Jira Issue`.`issue_id`) ASC, DATE_FORMAT(`Jira Issue`.`resolution_at`, 'yyyy-MM') ASC
      LIMIT 100000
      """;

  static final String SHOWCASE_WORKSPACE = "acme";

  private final LocalStack stack;
  private final Progress progress;
  private final Path data;
  private final DemoData demo = new DemoData();

  DemoRunner(LocalStack stack, Progress progress, Path data) {
    this.stack = stack;
    this.progress = progress;
    this.data = data;
  }

  /** Publishes the demo data unless a previous run already did (restarts resume, they do not re-publish). */
  void publishOnce() {
    writeWorkspaces();
    if (stack.ingressHasEvents()) {
      progress.line("  demo data already published (restart): resuming from what the lake and Kafka hold");
      return;
    }
    progress.step("residency: acme, globex -> eu; initech, umbrella -> us", () -> {
      try (ResidencyAdmin admin = ResidencyAdmin.create(stack.routerConfig())) {
        admin.assignAll(DemoData.WORKSPACES);
      }
    });
    Map<String, Path> offload = new HashMap<>();
    LocalStack.REGIONS.forEach(r -> offload.put(r, stack.offload(r)));
    progress.step("publishing " + demo.changes().size() + " change events (Jira, Confluence; large pages offloaded)", () -> {
      PublisherConfig config = PublisherConfig.of(stack.ingress(), stack.registryUrl(),
          new RegionalPayloadStore(DemoData.WORKSPACES, offload));
      try (ReplicationBusPublisher publisher = new ReplicationBusPublisher(config)) {
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (EntityChange change : demo.changes()) {
          sent.add(publisher.publish(change));
        }
        publisher.flush();
        sent.forEach(CompletableFuture::join);
      }
    });
  }

  /** The workspace → region map, for `./meshlake query` when the stack is not running. */
  private void writeWorkspaces() {
    StringBuilder text = new StringBuilder("# the demo's workspaces and their home regions\n");
    DemoData.WORKSPACES.forEach((ws, region) -> text.append(ws).append('=').append(region).append('\n'));
    try {
      Files.writeString(data.resolve("workspaces.properties"), text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until every refined table holds exactly the demo's rows, with progress. */
  void awaitLake(Duration timeout) {
    Map<String, Map<String, Integer>> expected = new TreeMap<>();
    int total = 0;
    for (Map.Entry<String, String> ws : DemoData.WORKSPACES.entrySet()) {
      for (Map.Entry<String, Integer> e : demo.expectedRows(ws.getKey()).entrySet()) {
        expected.computeIfAbsent(ws.getValue() + "/" + e.getKey(), k -> new TreeMap<>()).put(ws.getKey(), e.getValue());
        total += e.getValue();
      }
    }
    long until = System.nanoTime() + timeout.toNanos();
    long nextReport = 0;
    while (true) {
      int have = 0;
      boolean complete = true;
      for (Map.Entry<String, Map<String, Integer>> table : expected.entrySet()) {
        String[] parts = table.getKey().split("/");
        Map<String, Integer> rows = rowsPerWorkspace(parts[0], parts[1]);
        for (Map.Entry<String, Integer> ws : table.getValue().entrySet()) {
          int got = rows.getOrDefault(ws.getKey(), 0);
          have += Math.min(got, ws.getValue());
          complete &= got == ws.getValue();
        }
      }
      if (complete) {
        progress.line("  refined tables complete: %d rows in %d tables (%.0f s since start)", total, expected.size(),
            progress.elapsed().toMillis() / 1000.0);
        return;
      }
      if (System.nanoTime() > until) {
        throw new IllegalStateException("the refined tables hold " + have + " of " + total + " expected rows after " + timeout
            + "; connector status: " + stack.connectorStatus("eu", List.of("refined-jira_issue", "raw-jira")));
      }
      if (System.nanoTime() > nextReport) {
        progress.line("  waiting for the refined tables: %d / %d rows", have, total);
        nextReport = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      }
      Pause.briefly();
    }
  }

  /** Live rows per workspace of a region's table, read from its current snapshot. */
  Map<String, Integer> rowsPerWorkspace(String region, String table) {
    Map<String, Integer> rows = new HashMap<>();
    Path dir = stack.lake(region).resolve(table);
    if (!Files.isDirectory(dir.resolve("_delta_log"))) {
      return rows;
    }
    try {
      DeltaTable t = DeltaTable.open(new LocalTableStore(stack.lake(region)), table);
      for (TableFile f : t.files(t.latest(), Map.of(), x -> true)) {
        rows.merge(f.partition("workspace_id"), (int) f.liveRecords(), Integer::sum);
      }
    } catch (RuntimeException notReady) {
      // a table being created: count it next time
    }
    return rows;
  }

  /** Prints the seed's query for the showcase workspace, checked against the publisher's counts. */
  boolean report() {
    String region = DemoData.WORKSPACES.get(SHOWCASE_WORKSPACE);
    QueryResult result = stack.query(region).query(SHOWCASE_WORKSPACE, QueryScope.none(),
        String.format(RESOLVED_PER_MONTH, SHOWCASE_WORKSPACE), Map.of("calendar_start", "2025-01-01", "calendar_end", "2025-12-31"));
    progress.line("");
    progress.line("Issues resolved per month — workspace %s (region %s), the seed's query through lake-query:", SHOWCASE_WORKSPACE, region);
    progress.line("  %-22s | %s", "Month of Resolution At", "Issues resolved");
    Map<String, Integer> answered = new TreeMap<>();
    for (List<Object> row : result.rows()) {
      progress.line("  %-22s | %s", row.get(0), row.get(1));
      answered.put(String.valueOf(row.get(0)), ((Number) row.get(1)).intValue());
    }
    Map<String, Integer> expected = new TreeMap<>(demo.resolvedPerMonth(SHOWCASE_WORKSPACE));
    boolean matches = answered.equals(expected);
    progress.line(matches ? "  = the publisher's own counts (%d issues resolved in %d months)"
        : "  MISMATCH with the publisher's own counts %s", matches ? expected.values().stream().mapToInt(Integer::intValue).sum() : expected,
        expected.size());
    progress.line("");
    progress.line("Rows per table (live rows of the current snapshot):");
    for (String r : LocalStack.REGIONS) {
      Map<String, Long> counts = new LinkedHashMap<>();
      try (var tables = Files.list(stack.lake(r))) {
        for (Path t : tables.sorted().toList()) {
          if (Files.isDirectory(t.resolve("_delta_log"))) {
            counts.put(t.getFileName().toString(), rowsPerWorkspace(r, t.getFileName().toString()).values().stream()
                .mapToLong(Integer::longValue).sum());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      progress.line("  %s: %s", r, counts);
    }
    return matches;
  }
}
