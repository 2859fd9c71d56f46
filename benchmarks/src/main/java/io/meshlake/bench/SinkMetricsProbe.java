package io.meshlake.bench;

import java.io.IOException;
import java.util.Set;
import javax.management.AttributeNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.apache.kafka.common.utils.Sanitizer;

/**
 * The sink's own counters, read over JMX from the worker JVM: the beans
 * {@code io.meshlake:type=delta-sink,connector=<name>,task=<id>}, summed over a connector's tasks.
 * Counters restart with a task, so a phase takes differences between two readings with no restart between.
 */
final class SinkMetricsProbe implements AutoCloseable {

  /** A connector's counters at one moment. */
  record SinkTotals(long eventsWritten, long commits, long commitFailures, long rowsRewritten, long filesRewritten,
      long staleChanges, long badRecords, long compactions, long filesCompacted, long deletedRowsPurged, long rowsCompacted) {

    SinkTotals minus(SinkTotals earlier) {
      return new SinkTotals(eventsWritten - earlier.eventsWritten, commits - earlier.commits, commitFailures - earlier.commitFailures,
          rowsRewritten - earlier.rowsRewritten, filesRewritten - earlier.filesRewritten, staleChanges - earlier.staleChanges,
          badRecords - earlier.badRecords, compactions - earlier.compactions, filesCompacted - earlier.filesCompacted,
          deletedRowsPurged - earlier.deletedRowsPurged, rowsCompacted - earlier.rowsCompacted);
    }
  }

  /** The bean's attributes, in {@link SinkTotals} order; a sink without a counter reads as 0. */
  private static final String[] ATTRIBUTES = {"EventsWritten", "Commits", "CommitFailures", "RowsRewritten", "FilesRewritten",
      "StaleChanges", "BadRecords", "Compactions", "FilesCompacted", "DeletedRowsPurged", "RowsCompacted"};

  private final int port;
  private JMXConnector connector;

  SinkMetricsProbe(int port) {
    this.port = port;
  }

  SinkTotals totals(String connectorName) {
    try {
      MBeanServerConnection server = connection();
      Set<ObjectName> names = server.queryNames(new ObjectName("io.meshlake:type=delta-sink,connector="
          + ObjectName.quote(connectorName) + ",*"), null);
      long[] sums = new long[ATTRIBUTES.length];
      for (ObjectName name : names) {
        for (int i = 0; i < ATTRIBUTES.length; i++) {
          try {
            sums[i] += ((Number) server.getAttribute(name, ATTRIBUTES[i])).longValue();
          } catch (AttributeNotFoundException absent) {
            // an older sink: the counter does not exist
          }
        }
      }
      return new SinkTotals(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7], sums[8], sums[9], sums[10]);
    } catch (IOException e) {
      close();
      throw new IllegalStateException("could not read the sink's JMX metrics on port " + port + ": " + e, e);
    } catch (Exception e) {
      throw new IllegalStateException("could not read the sink's JMX metrics for " + connectorName + ": " + e, e);
    }
  }

  /**
   * The connector's partitions whose merge_on_read self-compaction has files due or a round under way
   * (the sink's {@code CompactionPending} gauge, refreshed while its tasks are idle), summed over tasks.
   */
  long compactionPending(String connectorName) {
    try {
      MBeanServerConnection server = connection();
      Set<ObjectName> names = server.queryNames(new ObjectName("io.meshlake:type=delta-sink,connector="
          + ObjectName.quote(connectorName) + ",*"), null);
      if (names.isEmpty()) {
        throw new IllegalStateException("the sink registered no metrics for " + connectorName + " (is it running?)");
      }
      long sum = 0;
      for (ObjectName name : names) {
        sum += ((Number) server.getAttribute(name, "CompactionPending")).longValue();
      }
      return sum;
    } catch (IOException e) {
      close();
      throw new IllegalStateException("could not read the sink's JMX metrics on port " + port + ": " + e, e);
    } catch (javax.management.JMException e) {
      throw new IllegalStateException("could not read the sink's CompactionPending for " + connectorName + ": " + e, e);
    }
  }

  /**
   * Records the connector's tasks have read from Kafka so far: Connect's own {@code sink-record-read-total}
   * of each task ({@code kafka.connect:type=sink-task-metrics}), summed; refused when no task registered it.
   */
  long recordsRead(String connectorName) {
    try {
      MBeanServerConnection server = connection();
      long sum = 0;
      // Quoted or not, as Kafka's JMX reporter names the bean.
      Set<ObjectName> tasks = server.queryNames(new ObjectName("kafka.connect:type=sink-task-metrics,connector="
          + Sanitizer.jmxSanitize(connectorName) + ",*"), null);
      if (tasks.isEmpty()) {
        // A deployed connector's tasks register these when they start: waiting on nothing would never end.
        throw new IllegalStateException("the worker has no sink-task-metrics for connector " + connectorName);
      }
      for (ObjectName name : tasks) {
        sum += Math.round(((Number) server.getAttribute(name, "sink-record-read-total")).doubleValue());
      }
      return sum;
    } catch (IOException e) {
      close();
      throw new IllegalStateException("could not read Connect's task metrics on port " + port + ": " + e, e);
    } catch (JMException e) {
      throw new IllegalStateException("could not read Connect's task metrics of " + connectorName + ": " + e, e);
    }
  }

  private MBeanServerConnection connection() throws IOException {
    if (connector == null) {
      connector = JMXConnectorFactory.connect(new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"));
    }
    return connector.getMBeanServerConnection();
  }

  @Override
  public void close() {
    if (connector != null) {
      try {
        connector.close();
      } catch (IOException ignored) {
        // the worker is gone already
      }
      connector = null;
    }
  }
}
