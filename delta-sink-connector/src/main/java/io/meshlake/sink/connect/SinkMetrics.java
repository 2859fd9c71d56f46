package io.meshlake.sink.connect;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's counters, registered as the JMX bean
 * {@code io.meshlake:type=delta-sink,connector=<name>,task=<id>}.
 */
public final class SinkMetrics implements SinkMetricsMBean {

  private static final Logger LOG = LoggerFactory.getLogger(SinkMetrics.class);

  final AtomicLong eventsWritten = new AtomicLong();
  final AtomicLong eventsSkipped = new AtomicLong();
  final AtomicLong badRecords = new AtomicLong();
  final AtomicLong commits = new AtomicLong();
  final AtomicLong commitFailures = new AtomicLong();
  final AtomicLong rowsRewritten = new AtomicLong();
  final AtomicLong filesRewritten = new AtomicLong();
  final AtomicLong staleChanges = new AtomicLong();
  final AtomicLong compactions = new AtomicLong();
  final AtomicLong filesCompacted = new AtomicLong();
  final AtomicLong failedCompactions = new AtomicLong();
  final AtomicLong compactionPending = new AtomicLong();
  final AtomicLong deletedRowsPurged = new AtomicLong();
  final AtomicLong rowsCompacted = new AtomicLong();
  final AtomicLong lastCommitMillis = new AtomicLong();
  final AtomicLong lastCommitEvents = new AtomicLong();
  final AtomicLong earlyCommits = new AtomicLong();
  final AtomicLong bufferedHeapBytes = new AtomicLong();
  private ObjectName name;

  void register(String connector, String task) {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      name = new ObjectName("io.meshlake:type=delta-sink,connector=" + ObjectName.quote(connector) + ",task=" + task);
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
      server.registerMBean(this, name);
    } catch (JMException e) {
      LOG.warn("could not register the sink's JMX metrics: {}", e.toString());
    }
  }

  void unregister() {
    if (name != null) {
      try {
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
      } catch (JMException e) {
        LOG.debug("metrics bean already gone: {}", e.toString());
      }
    }
  }

  @Override
  public long getEventsWritten() {
    return eventsWritten.get();
  }

  @Override
  public long getEventsSkipped() {
    return eventsSkipped.get();
  }

  @Override
  public long getBadRecords() {
    return badRecords.get();
  }

  @Override
  public long getCommits() {
    return commits.get();
  }

  @Override
  public long getCommitFailures() {
    return commitFailures.get();
  }

  @Override
  public long getRowsRewritten() {
    return rowsRewritten.get();
  }

  @Override
  public long getFilesRewritten() {
    return filesRewritten.get();
  }

  @Override
  public long getStaleChanges() {
    return staleChanges.get();
  }

  @Override
  public long getCompactions() {
    return compactions.get();
  }

  @Override
  public long getCompactionPending() {
    return compactionPending.get();
  }

  @Override
  public long getFailedCompactions() {
    return failedCompactions.get();
  }

  @Override
  public long getFilesCompacted() {
    return filesCompacted.get();
  }

  @Override
  public long getDeletedRowsPurged() {
    return deletedRowsPurged.get();
  }

  @Override
  public long getRowsCompacted() {
    return rowsCompacted.get();
  }

  @Override
  public long getLastCommitMillis() {
    return lastCommitMillis.get();
  }

  @Override
  public long getLastCommitEvents() {
    return lastCommitEvents.get();
  }

  @Override
  public long getEarlyCommits() {
    return earlyCommits.get();
  }

  @Override
  public long getWorkerBufferedHeapBytes() {
    return bufferedHeapBytes.get();
  }
}
