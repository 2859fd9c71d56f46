package io.meshlake.sink.connect;

import io.meshlake.bus.LocalPayloadStore;
import io.meshlake.bus.PayloadResolver;
import io.meshlake.bus.PayloadStore;
import io.meshlake.bus.S3PayloadStore;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.contracts.manifest.WriterType;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.wire.ProtobufDecoder;
import io.meshlake.sink.config.ConfigChecks;
import io.meshlake.sink.config.DeltaSinkConfig;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.sink.model.CompiledModel;
import io.meshlake.sink.model.ModelCompiler;
import io.meshlake.table.storage.TableStore;
import io.meshlake.sink.connect.TableStores;
import io.meshlake.sink.writer.AppendBatchWriter;
import io.meshlake.sink.writer.BadRecordException;
import io.meshlake.sink.writer.BatchWriter;
import io.meshlake.sink.writer.CompactionPacer;
import io.meshlake.sink.writer.CopyOnWriteMerge;
import io.meshlake.sink.writer.EventDecoder;
import io.meshlake.sink.writer.MergeBatchWriter;
import io.meshlake.sink.writer.MergeLayout;
import io.meshlake.sink.writer.MergeOnReadMerge;
import io.meshlake.sink.writer.MergeStrategy;
import io.meshlake.sink.writer.OwnedTable;
import io.meshlake.sink.writer.RawTableLayout;
import io.meshlake.sink.writer.SinkEvent;
import io.meshlake.sink.writer.TableLayout;
import io.meshlake.sink.writer.WriterSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes its assigned partitions into Delta tables. On assignment it asks the tables how far each
 * partition is written ({@code txn}) and rewinds the consumer there; Kafka's committed offsets only
 * mirror that progress. A batch is committed per partition when it is due, its offsets in the same
 * Delta commit as its rows.
 */
public class DeltaSinkTask extends SinkTask {

  private static final Logger LOG = LoggerFactory.getLogger(DeltaSinkTask.class);

  private DeltaSinkConfig config;
  private String connectorName;
  private EntityCatalog catalog;
  private TableStore store;
  private EventDecoder decoder;
  private WriterSettings settings;
  private ErrantRecordReporter deadLetters;
  private final Map<TopicPartition, PartitionBuffer> buffers = new LinkedHashMap<>();
  private final SinkMetrics metrics = new SinkMetrics();
  private static final int MAX_CONSECUTIVE_FAILURES = 5;
  private int consecutiveFailures;
  // Merge
  private CompiledModel model;
  private DeltaTable refinedTable;
  private TableLayout refinedLayout;
  // Append
  private final Map<Integer, RawTableLayout> rawLayouts = new HashMap<>();
  private final Map<Integer, DeltaTable> rawTables = new HashMap<>();

  @Override
  public String version() {
    return DeltaSinkConnector.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    catalog = EntityCatalog.load();
    Map<String, List<String>> errors = ConfigChecks.check(props, catalog);
    if (!errors.isEmpty()) {
      throw new ConfigException(DeltaSinkConnector.describe(errors));
    }
    config = new DeltaSinkConfig(props);
    connectorName = props.getOrDefault("name", "delta-sink");
    deadLetters = context.errantRecordReporter();
    if (deadLetters == null) {
      throw new ConfigException(ConfigChecks.DLQ_TOPIC, null,
          "no dead-letter reporter: set errors.tolerance=all and errors.deadletterqueue.topic.name");
    }
    store = TableStores.open(config);
    settings = new WriterSettings(config.fileTargetBytes(), config.rowGroupBytes(), config.commitMaxAttempts(),
        config.commitBackoff(), config.txnLagMaxRecords());
    SinkTables tables = SinkTables.open(config, catalog, store);
    rawLayouts.putAll(tables.rawLayouts());
    // An Append sink (raw layouts) decodes entities straight into raw table columns; a Merge sink (none) needs the message.
    decoder = new EventDecoder(
        new ProtobufDecoder<>(new SchemaRegistryClient(config.registryUrl()), FacsimileRecord.getDefaultInstance()),
        catalog, new PayloadResolver(payloadStores()), rawLayouts);
    rawTables.putAll(tables.rawTables());
    model = tables.model();
    refinedLayout = tables.refinedLayout();
    refinedTable = tables.refinedTable();
    metrics.register(connectorName, props.getOrDefault("task.id", Integer.toHexString(System.identityHashCode(this))));
    LOG.info("delta sink task started: {} writer into {}", config.writerType().manifestName(), config.tableRoot());
  }

  private PayloadStore[] payloadStores() {
    List<PayloadStore> stores = new ArrayList<>();
    if (!config.offloadLocalRoot().isEmpty()) {
      stores.add(new LocalPayloadStore(Path.of(config.offloadLocalRoot())));
    }
    if (!config.offloadS3Bucket().isEmpty()) {
      stores.add(new S3PayloadStore(TableStores.s3Settings(config).client(), config.offloadS3Bucket()));
    }
    return stores.toArray(PayloadStore[]::new);
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> rewind = new HashMap<>();
    for (TopicPartition tp : partitions) {
      String appId = appId(tp);
      BatchWriter writer = writerFor(tp, appId);
      PartitionBuffer buffer = new PartitionBuffer(tp, writer, BufferMemory.WORKER);
      buffers.put(tp, buffer);
      rewind.put(tp, writer.resumeOffset());
      LOG.info("{} resumes at offset {} (from the tables' txn for {})", tp, writer.resumeOffset(), appId);
    }
    context.offset(rewind);
  }

  /** The Delta txn appId of a partition: per connector, topic and partition. */
  private String appId(TopicPartition tp) {
    return connectorName + "/" + tp.topic() + "/" + tp.partition();
  }

  private BatchWriter writerFor(TopicPartition tp, String appId) {
    if (config.writerType() == WriterType.APPEND) {
      Map<Integer, OwnedTable> tables = new HashMap<>();
      rawTables.forEach((type, table) -> tables.put(type, new OwnedTable(table, appId, Map.of(), false,
          settings.maxCommitAttempts(), settings.commitBackoff())));
      return new AppendBatchWriter(rawLayouts, tables, tp.partition(), settings);
    }
    OwnedTable table = new OwnedTable(refinedTable, appId, MergeLayout.boundColumns(), true,
        settings.maxCommitAttempts(), settings.commitBackoff());
    return new MergeBatchWriter(table, new MergeLayout(refinedLayout, tp.partition(), settings), model.rowFunction(),
        mergeStrategy());
  }

  private MergeStrategy mergeStrategy() {
    if (config.mergeMode() == DeltaSinkConfig.MergeMode.MERGE_ON_READ) {
      MergeOnReadMerge.CompactionPolicy policy = new MergeOnReadMerge.CompactionPolicy(config.compactionDeletedFraction(),
          config.compactionSmallFiles(), config.compactionSmallFileBytes(), config.compactionMaxBytes());
      CompactionPacer pacer = new CompactionPacer(config.compactionMaxTimeShare(), System::nanoTime);
      return config.compactionInBackground() ? MergeOnReadMerge.inBackground(config.keyLocatorDir(), policy, pacer)
          : new MergeOnReadMerge(config.keyLocatorDir(), policy, pacer);
    }
    return new CopyOnWriteMerge();
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    long now = System.currentTimeMillis();
    Set<TopicPartition> rewound = new HashSet<>();
    // A poll's records come in runs of one partition: the buffer is looked up once per run.
    TopicPartition tp = null;
    PartitionBuffer buffer = null;
    for (SinkRecord record : records) {
      if (tp == null || tp.partition() != record.kafkaPartition() || !tp.topic().equals(record.topic())) {
        tp = new TopicPartition(record.topic(), record.kafkaPartition());
        buffer = buffers.get(tp);
      }
      if (buffer == null || rewound.contains(tp)) {
        continue; // revoked while the batch was in flight, or rewound: the consumer delivers these again
      }
      long offset = record.kafkaOffset();
      if (offset <= buffer.durableOffset()) {
        buffer.skip(offset, now);
        metrics.eventsSkipped.incrementAndGet();
        continue;
      }
      Object value = record.value();
      if (value != null && !(value instanceof byte[])) {
        throw new ConnectException("the sink needs raw bytes: set value.converter=org.apache.kafka.connect.converters.ByteArrayConverter"
            + " on the connector (got " + value.getClass().getName() + ")");
      }
      byte[] bytes = (byte[]) value;
      SinkEvent event;
      try {
        event = decoder.decode(bytes, record.topic(), record.kafkaPartition(), offset, record.timestamp());
      } catch (BadRecordException bad) {
        metrics.badRecords.incrementAndGet();
        LOG.debug("{} offset {} to the dead-letter topic: {}", tp, offset, bad.getMessage());
        buffer.addDeadLetter(offset, deadLetters.report(record, bad), now);
        continue;
      }
      try {
        buffer.add(event, bytes.length, now);
      } catch (RuntimeException e) {
        // The open batch (e.g. a data file being written) failed: not bad input. Drop the batch and
        // rewind like a failed commit; this call's later records of the partition come again.
        recover(buffer, e);
        rewound.add(tp);
      }
    }
    long handled = System.currentTimeMillis();
    for (PartitionBuffer b : buffers.values()) {
      b.deliveryEnded(handled);
    }
    flushDue(handled);
    if (records.isEmpty()) {
      maintainIdle();
    }
    callBackBy(handled);
  }

  /**
   * Connect calls {@code put} with no records while none arrive: then idle merge_on_read partitions
   * compact the files due at their last flush (a bulk load's small files would otherwise wait for
   * the next change), and the CompactionPending gauge counts partitions with files due or a round under way.
   */
  private void maintainIdle() {
    int pending = 0;
    for (PartitionBuffer buffer : new ArrayList<>(buffers.values())) {
      if (!(buffer.writer() instanceof MergeBatchWriter merge)) {
        continue;
      }
      try {
        if (buffer.size() == 0) {
          merge.maintainIdle();
        }
        if (merge.compactionPending()) {
          pending++;
        }
      } catch (RuntimeException e) {
        recover(buffer, e);
      }
    }
    compactionPending = pending;
    idleCheckDue = false;
    metrics.compactionPending.set(pending);
    publishCompactionStats();
  }

  /** Self-compaction counters over the task's current merge partitions, to JMX. */
  private void publishCompactionStats() {
    long rounds = 0;
    long compactedFiles = 0;
    long purged = 0;
    long compactedRows = 0;
    long failed = 0;
    for (PartitionBuffer b : buffers.values()) {
      if (b.writer() instanceof MergeBatchWriter m) {
        rounds += m.compactionStats().compactions();
        compactedFiles += m.compactionStats().filesCompacted();
        purged += m.compactionStats().deletedRowsPurged();
        compactedRows += m.compactionStats().rowsRewritten();
        failed += m.compactionStats().failedRounds();
      }
    }
    metrics.compactions.set(rounds);
    metrics.filesCompacted.set(compactedFiles);
    metrics.deletedRowsPurged.set(purged);
    metrics.rowsCompacted.set(compactedRows);
    metrics.failedCompactions.set(failed);
  }

  /** How soon an idle task with compaction pending is called again; the pacer keeps each round to its share. */
  static final long IDLE_COMPACTION_POLL_MILLIS = 1_000;

  /** The shortest poll the task asks of Connect: a batch due sooner is committed this much late at most. */
  static final long MIN_POLL_MILLIS = 10;

  /**
   * Connect calls the task after every poll, but with no records arriving it polls for up to the
   * worker's offset.flush.interval.ms (60 s by default): the end of a burst would wait that long for
   * its idle or interval commit. The next poll is cut to when the first open batch falls due.
   */
  private void callBackBy(long now) {
    long due = Long.MAX_VALUE;
    for (PartitionBuffer buffer : buffers.values()) {
      due = Math.min(due, buffer.dueAtMillis(config.flushInterval(), config.flushIdle()));
    }
    if (compactionPending > 0 || idleCheckDue) {
      due = Math.min(due, now + IDLE_COMPACTION_POLL_MILLIS);
    }
    if (due != Long.MAX_VALUE) {
      context.timeout(Math.max(MIN_POLL_MILLIS, due - now));
    }
  }

  /** Partitions whose self-compaction was pending at the last idle call. */
  private int compactionPending;
  /** A merge committed since the last idle call: files may be due, so the task asks to be called while idle. */
  private boolean idleCheckDue;

  private void flushDue(long now) {
    for (PartitionBuffer buffer : new ArrayList<>(buffers.values())) {
      if (buffer.due(now, config.flushMaxRecords(), config.flushMaxBytes(), config.flushInterval(), config.flushIdle())) {
        commit(buffer);
      }
    }
    releaseMemory();
  }

  /** Commits this task's largest buffer early while the worker's buffered events exceed their heap budget. */
  private void releaseMemory() {
    long budget = config.bufferHeapBytes();
    PartitionBuffer largest = null;
    for (PartitionBuffer b : buffers.values()) {
      if (largest == null || b.heapBytes() > largest.heapBytes()) {
        largest = b;
      }
    }
    if (largest != null && BufferMemory.WORKER.mustRelease(largest.heapBytes(), budget)) {
      LOG.debug("{}: buffered events of the worker (~{} MiB) exceed buffer.heap.fraction's {} MiB; committing {} events early",
          largest.partition(), BufferMemory.WORKER.used() >> 20, budget >> 20, largest.size());
      metrics.earlyCommits.incrementAndGet();
      commit(largest);
    }
    metrics.bufferedHeapBytes.set(BufferMemory.WORKER.used());
  }

  private void commit(PartitionBuffer buffer) {
    awaitDeadLetters(buffer);
    long started = System.nanoTime();
    int events = buffer.size();
    try {
      buffer.writer().commit(buffer.lastOffset());
    } catch (RuntimeException e) {
      recover(buffer, e);
      return;
    }
    consecutiveFailures = 0;
    buffer.committed();
    if (buffer.writer() instanceof MergeBatchWriter) {
      idleCheckDue = true;
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    metrics.commits.incrementAndGet();
    metrics.eventsWritten.addAndGet(events);
    metrics.lastCommitMillis.set(millis);
    metrics.lastCommitEvents.set(events);
    if (buffer.writer() instanceof MergeBatchWriter merge) {
      var stats = merge.lastStats();
      metrics.rowsRewritten.addAndGet(stats.rowsRead());
      metrics.filesRewritten.addAndGet(stats.filesRewritten());
      metrics.staleChanges.addAndGet(stats.opsStale());
      publishCompactionStats();
    }
    if (buffer.writer() instanceof MergeBatchWriter merge) {
      var times = merge.lastTimes();
      LOG.info("committed {} events of {} up to offset {} in {} ms (plan {} ms, log {} ms, self-compaction {} ms)", events,
          buffer.partition(), buffer.lastOffset(), millis, times.planMillis(), times.logMillis(), times.compactionMillis());
    } else {
      LOG.info("committed {} events of {} up to offset {} in {} ms", events, buffer.partition(), buffer.lastOffset(), millis);
    }
  }

  /**
   * A failed commit may or may not have reached the log, and a batch whose files failed to write is
   * unusable. The table is the source of truth: drop the batch, re-read how far the table has this
   * partition, and rewind the consumer there. A failure that keeps repeating fails the task,
   * visibly, instead of spinning.
   */
  private void recover(PartitionBuffer buffer, RuntimeException failure) {
    metrics.commitFailures.incrementAndGet();
    TopicPartition tp = buffer.partition();
    if (++consecutiveFailures > MAX_CONSECUTIVE_FAILURES) {
      throw new ConnectException("writing batches of " + tp + " failed " + consecutiveFailures + " times in a row; last: "
          + failure.getMessage(), failure);
    }
    LOG.error("writing the batch of {} (up to offset {}) failed ({} in a row); re-reading the table's txn and rewinding",
        tp, buffer.lastOffset(), consecutiveFailures, failure);
    release(buffer);
    BatchWriter writer = writerFor(tp, appId(tp));
    buffers.put(tp, new PartitionBuffer(tp, writer, BufferMemory.WORKER));
    context.offset(tp, writer.resumeOffset());
  }

  private void awaitDeadLetters(PartitionBuffer buffer) {
    for (Future<Void> written : buffer.deadLetters()) {
      try {
        written.get(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConnectException("interrupted waiting for dead-letter writes", e);
      } catch (ExecutionException | TimeoutException e) {
        // Never move past a bad record before its dead-letter copy is safe.
        throw new ConnectException("dead-letter write not acknowledged: " + e.getMessage(), e);
      }
    }
  }

  /** Frees what a partition's writer holds locally (its key locator file). */
  private void release(PartitionBuffer buffer) {
    if (buffer == null) {
      return;
    }
    buffer.discard();
    if (buffer.writer() instanceof MergeBatchWriter merge) {
      merge.close();
    }
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    flushDue(System.currentTimeMillis());
    Map<TopicPartition, OffsetAndMetadata> durable = new HashMap<>();
    for (PartitionBuffer buffer : buffers.values()) {
      if (buffer.durableOffset() >= 0) {
        durable.put(buffer.partition(), new OffsetAndMetadata(buffer.durableOffset() + 1));
      }
    }
    return durable;
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    // Buffered records are dropped, not flushed: the next owner re-reads them from the table's txn.
    for (TopicPartition tp : partitions) {
      PartitionBuffer buffer = buffers.remove(tp);
      if (buffer != null) {
        LOG.info("{} closed ({} buffered events dropped; the next owner resumes from the tables' txn)", tp, buffer.size());
      }
      release(buffer);
    }
  }

  @Override
  public void stop() {
    buffers.values().forEach(this::release);
    buffers.clear();
    metrics.unregister();
  }
}
