package io.meshlake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delta sink connectors of a run, deployed and steered through the worker's REST API: the Append
 * connector on the ingress topic (raw table) and one Merge connector per merge mode on
 * {@code model.jira_issue}, each into its own table so the modes are measured on the same data.
 */
final class SinkConnectors {

  static final String CONNECTOR_CLASS = "io.meshlake.sink.connect.DeltaSinkConnector";
  static final String RAW = "bench-raw";
  static final String RAW_TABLE = "raw_jira_issue";
  static final String MODEL = "jira_issue";
  static final String MODEL_TOPIC = "model.jira_issue";

  private final ConnectWorker worker;
  private final String tableRoot;
  private final String keyLocatorDir;
  private final String registryUrl;
  private final int tasks;
  /** The run's --sink-setting values, over the defaults below. */
  private final Map<String, String> settings;
  private final Map<String, Map<String, String>> configs = new HashMap<>();

  SinkConnectors(ConnectWorker worker, String tableRoot, String keyLocatorDir, String registryUrl, int tasks,
      Map<String, String> settings) {
    this.settings = Map.copyOf(settings);
    this.worker = worker;
    this.tableRoot = tableRoot;
    this.keyLocatorDir = keyLocatorDir;
    this.registryUrl = registryUrl;
    this.tasks = tasks;
  }

  static String mergeConnector(String mode) {
    return "bench-merge-" + mode.replace('_', '-');
  }

  static final String BUFFER_HEAP_FRACTION = "0.5";

  /**
   * The Append connector's flush.idle.ms. The raw phase ends with each partition's last, partial
   * batch, which commits once the partition idles this long: at the sink's default (2 s) the phase
   * took about a second longer (RESULTS.md, rounds I and J). While a backlog is read, records arrive
   * every few milliseconds; a longer stall (a full GC) only commits a smaller batch. The Merge
   * connectors keep the default: at 500 ms merge-on-read's self-compaction ran after most batches
   * (median 1,170-1,553 ms against 9-17 ms) and the median merge batch doubled.
   */
  static final String RAW_FLUSH_IDLE_MS = "500";

  /**
   * The Append connector's flush.max.records. An append commit's cost is mostly per file (about 100
   * per commit, one per workspace: creating, closing, footers, log entries): at 50,000 and at ~104,000
   * events a raw commit took 300 ms alike, and the raw phase ran ~13 % faster with the larger batch
   * (RESULTS.md, round N). An Append batch holds encoded pages, so the sink's flush.max.bytes (64 MiB)
   * still caps it at about 100,000 workload events. The Merge connectors keep 50,000, the batch the
   * issue measures.
   */
  static final String RAW_FLUSH_MAX_RECORDS = "100000";

  static String mergeTable(String mode) {
    return MODEL + "_" + mode;
  }

  /** The Delta txn appId a sink task records for a partition (see DeltaSinkTask). */
  static String appId(String connector, String topic, int partition) {
    return connector + "/" + topic + "/" + partition;
  }

  Map<String, String> appendConfig(String topic, long flushIntervalMs) {
    Map<String, String> c = base(topic, flushIntervalMs);
    c.put("writer.type", "Append");
    c.put("domain", WorkloadGenerator.DOMAIN);
    c.put("flush.idle.ms", RAW_FLUSH_IDLE_MS);
    c.put("flush.max.records", RAW_FLUSH_MAX_RECORDS);
    c.putAll(settings); // --sink-setting flush.idle.ms or flush.max.records still wins
    return c;
  }

  Map<String, String> mergeConfig(String mode, int flushMaxRecords, long flushIntervalMs) {
    Map<String, String> c = base(MODEL_TOPIC, flushIntervalMs);
    c.put("writer.type", "Merge");
    c.put("model", MODEL);
    c.put("table.name", mergeTable(mode));
    c.put("merge.mode", mode);
    // merge_on_read's key locators: in the run's directory, not the shared default under /tmp.
    c.put("key.locator.dir", keyLocatorDir);
    c.put("flush.max.records", Integer.toString(flushMaxRecords));
    // Model topics are written in Kafka Streams transactions.
    c.put("consumer.override.isolation.level", "read_committed");
    return c;
  }

  static final int FETCH_BYTES = 8 << 20;

  private Map<String, String> base(String topic, long flushIntervalMs) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("connector.class", CONNECTOR_CLASS);
    c.put("topics", topic);
    c.put("tasks.max", Integer.toString(tasks));
    c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    // The sink reads no headers; Connect's default header converter parses every header's text
    // (6 % of the merge threads' time in a profile).
    c.put("header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    // A task commits for seconds at a time; with the consumer's 1 MiB default it then finds one
    // fetch (~2,000 records) buffered and waits on a round trip per 2,000 records of the next batch
    // (15 % of the task threads' time at N = 10M). 8 MiB per partition keeps the next batch coming.
    c.put("consumer.override.max.partition.fetch.bytes", Integer.toString(FETCH_BYTES));
    c.put("consumer.override.fetch.max.bytes", Integer.toString(FETCH_BYTES));
    c.put("table.root", tableRoot);
    c.put("schema.registry.url", registryUrl);
    c.put("flush.interval.ms", Long.toString(flushIntervalMs));
    // One connector's four partitions each buffer a full 50,000-event batch (~4 x 50,000 x 2.2 KB
    // estimated) within the 1 GiB worker; the sink's default share (0.3) would cut them at ~35,000.
    c.put("buffer.heap.fraction", BUFFER_HEAP_FRACTION);
    c.put("errors.tolerance", "all");
    c.put("errors.deadletterqueue.topic.name", "dlq.jira.sink");
    c.put("errors.deadletterqueue.topic.replication.factor", "1");
    c.put("errors.deadletterqueue.context.headers.enable", "true");
    c.putAll(settings);
    return c;
  }

  /** Creates or reconfigures a connector (a reconfiguration restarts its tasks, which resume from their tables). */
  void put(String name, Map<String, String> config) {
    ConnectWorker.Response r = worker.put("/connectors/" + name + "/config", config);
    if (!r.ok()) {
      throw new IllegalStateException("deploying connector " + name + " failed: HTTP " + r.status() + " " + r.body());
    }
    configs.put(name, Map.copyOf(config));
  }

  Map<String, String> config(String name) {
    return configs.get(name);
  }

  void pause(String name) {
    expectAccepted(worker.put("/connectors/" + name + "/pause", null), "pausing " + name);
    awaitState(name, "PAUSED", Duration.ofMinutes(2));
  }

  void resume(String name) {
    requestResume(name);
    awaitRunning(name);
  }

  /** Asks the worker to resume the connector; its tasks may not be running yet. */
  void requestResume(String name) {
    expectAccepted(worker.put("/connectors/" + name + "/resume", null), "resuming " + name);
  }

  void awaitRunning(String name) {
    awaitState(name, "RUNNING", Duration.ofMinutes(2));
  }

  void delete(String name) {
    worker.delete("/connectors/" + name);
    configs.remove(name);
  }

  private static void expectAccepted(ConnectWorker.Response r, String what) {
    if (!r.ok()) {
      throw new IllegalStateException(what + " failed: HTTP " + r.status() + " " + r.body());
    }
  }

  /** The connector's and its tasks' states, e.g. {@code RUNNING [RUNNING, RUNNING]}, or a failure's trace. */
  record Status(String connectorState, List<String> taskStates, String trace) {
    boolean failed() {
      return "FAILED".equals(connectorState) || taskStates.contains("FAILED");
    }

    boolean all(String state, int expectedTasks) {
      return state.equals(connectorState) && taskStates.size() >= expectedTasks && taskStates.stream().allMatch(state::equals);
    }
  }

  Status status(String name) {
    ConnectWorker.Response r = worker.get("/connectors/" + name + "/status");
    JsonNode json = r.json();
    if (!r.ok() || json == null) {
      return new Status("UNKNOWN", List.of(), r.body());
    }
    String trace = json.path("connector").path("trace").asText("");
    List<String> tasks = new java.util.ArrayList<>();
    for (JsonNode t : json.path("tasks")) {
      tasks.add(t.path("state").asText());
      if (trace.isEmpty() && t.has("trace")) {
        trace = t.path("trace").asText("");
      }
    }
    return new Status(json.path("connector").path("state").asText("UNKNOWN"), tasks, trace);
  }

  /** Waits until the connector and all its tasks are in the state; fails fast, with the trace, when one fails. */
  Status awaitState(String name, String state, Duration timeout) {
    long until = System.nanoTime() + timeout.toNanos();
    while (true) {
      worker.checkAlive();
      Status s = status(name);
      if (s.failed()) {
        throw new ConnectorFailedException(name, s.trace());
      }
      if (s.all(state, expectedTasks(name))) {
        return s;
      }
      if (System.nanoTime() > until) {
        throw new IllegalStateException("connector " + name + " did not reach " + state + " within " + timeout + ": " + s);
      }
      ConnectWorker.sleep(250);
    }
  }

  /** Fails (with the trace) when the connector or a task has failed. */
  void checkHealthy(String name) {
    Status s = status(name);
    if (s.failed()) {
      throw new ConnectorFailedException(name, s.trace());
    }
  }

  private int expectedTasks(String name) {
    Map<String, String> c = configs.get(name);
    // One task per partition at most: the topics have 4.
    return c == null ? 1 : Math.min(Integer.parseInt(c.get("tasks.max")), PipelineHarness.PARTITIONS);
  }

  /** A connector or task failed; the message carries the first lines of its trace. */
  static final class ConnectorFailedException extends RuntimeException {
    final String trace;

    ConnectorFailedException(String name, String trace) {
      super("connector " + name + " failed: " + firstLines(trace, 6));
      this.trace = trace;
    }

    static String firstLines(String text, int n) {
      return String.join(" | ", text.lines().limit(n).toList());
    }
  }
}
