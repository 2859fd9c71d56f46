package io.meshlake.sink.connect;

/** What a delta sink task reports over JMX. */
public interface SinkMetricsMBean {
  /** Events written to tables (raw rows appended, or changes merged). */
  long getEventsWritten();

  /** Events re-read after a restart that the tables already held. */
  long getEventsSkipped();

  /** Records sent to the dead-letter topic. */
  long getBadRecords();

  long getCommits();

  /** Commits that failed; the partition was rewound to what its table records. */
  long getCommitFailures();

  /** Merge: rows copied into rewritten files (copy-on-write cost). */
  long getRowsRewritten();

  long getFilesRewritten();

  /** Merge: changes older than what the table already held. */
  long getStaleChanges();

  /** merge_on_read: self-compaction rounds, files rewritten, deleted rows dropped by them (over the task's current partitions). */
  long getCompactions();

  long getFilesCompacted();

  /** merge_on_read: self-compaction rounds that failed (the table unchanged; logged at ERROR, tried again later). */
  long getFailedCompactions();

  /** merge_on_read: the task's partitions with files due for compaction or a round under way (refreshed while idle). */
  long getCompactionPending();

  long getDeletedRowsPurged();

  /** merge_on_read: live rows self-compaction wrote again (its share of the rows rewritten per event). */
  long getRowsCompacted();

  long getLastCommitMillis();

  long getLastCommitEvents();

  /** Commits made before their flush thresholds because the worker's buffered events passed buffer.heap.fraction. */
  long getEarlyCommits();

  /** Estimated heap held by buffered events of all meshlake sink tasks in this worker, at this task's last check. */
  long getWorkerBufferedHeapBytes();
}
