package io.meshlake.sink.config;

import io.meshlake.contracts.manifest.WriterType;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** The delta sink's settings, each validated and documented; cross-setting rules live in {@link ConfigChecks}. */
public final class DeltaSinkConfig extends AbstractConfig {

  public static final String TABLE_ROOT = "table.root";
  public static final String WRITER_TYPE = "writer.type";
  public static final String MODEL = "model";
  public static final String DOMAIN = "domain";
  public static final String TABLE_NAME = "table.name";
  public static final String MERGE_MODE = "merge.mode";
  public static final String FLUSH_MAX_RECORDS = "flush.max.records";
  public static final String FLUSH_MAX_BYTES = "flush.max.bytes";
  public static final String FLUSH_INTERVAL_MS = "flush.interval.ms";
  public static final String FLUSH_IDLE_MS = "flush.idle.ms";
  public static final String BUFFER_HEAP_FRACTION = "buffer.heap.fraction";
  public static final String FILE_TARGET_BYTES = "file.target.bytes";
  public static final String ROW_GROUP_BYTES = "parquet.row.group.bytes";
  public static final String CHECKPOINT_INTERVAL = "checkpoint.interval";
  public static final String COMMIT_MAX_ATTEMPTS = "commit.max.attempts";
  public static final String COMMIT_BACKOFF_MS = "commit.backoff.ms";
  public static final String TXN_LAG_MAX_RECORDS = "txn.lag.max.records";
  public static final String REGISTRY_URL = "schema.registry.url";
  public static final String S3_ENDPOINT = "s3.endpoint";
  public static final String S3_REGION = "s3.region";
  public static final String S3_ACCESS_KEY = "s3.access.key";
  public static final String S3_SECRET_KEY = "s3.secret.key";
  public static final String S3_PATH_STYLE = "s3.path.style.access";
  public static final String OFFLOAD_LOCAL_ROOT = "offload.local.root";
  public static final String KEY_LOCATOR_DIR = "key.locator.dir";
  public static final String COMPACTION_DELETED_FRACTION = "compaction.deleted.fraction";
  public static final String COMPACTION_SMALL_FILES = "compaction.small.files";
  public static final String COMPACTION_SMALL_FILE_BYTES = "compaction.small.file.bytes";
  public static final String COMPACTION_MAX_BYTES = "compaction.max.bytes";
  public static final String COMPACTION_MAX_TIME_SHARE = "compaction.max.time.share";
  public static final String COMPACTION_IN_BACKGROUND = "compaction.in.background";
  public static final String OFFLOAD_S3_BUCKET = "offload.s3.bucket";

  /** How Merge and MergeExploded tables absorb a batch. */
  public enum MergeMode {
    COPY_ON_WRITE, MERGE_ON_READ;

    public static MergeMode parse(String value) {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
  }

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(TABLE_ROOT, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new NonBlank(), Importance.HIGH,
          "Where the tables live: a local directory (/data/lake or file:/data/lake) or an S3 prefix (s3://bucket/lake or s3a://bucket/lake). "
              + "Each table is a directory under it.")
      .define(WRITER_TYPE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new OneOf(names(WriterType.values())), Importance.HIGH,
          "Append (raw tables: every event of the domain's entities, one table per entity), Merge (a refined model: one row per entity, "
              + "last write wins) or MergeExploded (a refined model whose rows are a parent's array elements).")
      .define(MODEL, Type.STRING, "", Importance.HIGH,
          "The refined model to write (Merge, MergeExploded): a model name from the entity manifests, e.g. jira_issue.")
      .define(DOMAIN, Type.STRING, "", Importance.HIGH,
          "The domain whose raw tables an Append sink writes (the topic facsimile.<domain>), e.g. jira.")
      .define(TABLE_NAME, Type.STRING, "", Importance.MEDIUM,
          "The table's directory under table.root for Merge/MergeExploded; defaults to the model name. Append tables are raw_<domain>_<entity>.")
      .define(MERGE_MODE, Type.STRING, "merge_on_read", new OneOf("copy_on_write", "merge_on_read"), Importance.MEDIUM,
          "merge_on_read (the default) writes new rows to new files and marks replaced rows in deletion vectors, so a batch costs"
              + " what its changes cost; copy_on_write rewrites the files that hold a batch's entities (no deletion vectors, for"
              + " readers that cannot read them, at a cost that grows with the table).")
      .define(FLUSH_MAX_RECORDS, Type.INT, 50_000, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
          "Commit a partition's batch once it holds this many records.")
      .define(FLUSH_MAX_BYTES, Type.LONG, 64L << 20, ConfigDef.Range.atLeast(1024), Importance.MEDIUM,
          "Commit a partition's batch once its record values reach this many bytes.")
      .define(BUFFER_HEAP_FRACTION, Type.DOUBLE, 0.3, ConfigDef.Range.between(0.01, 0.9), Importance.MEDIUM,
          "Share of the worker's maximum heap (-Xmx) that buffered events of all meshlake sink tasks in the worker may hold"
              + " together (estimated at three times their record bytes for Merge, once for Append, which holds encoded pages). Past it, the task holding the largest buffer"
              + " commits it before its flush thresholds; the JMX counter EarlyCommits shows how often.")
      .define(FLUSH_INTERVAL_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(10), Importance.MEDIUM,
          "Commit a partition's batch at the latest this long after its first record arrived.")
      .define(FLUSH_IDLE_MS, Type.LONG, 2_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
          "Commit a partition's batch once no record has arrived for it this long (0: never): the end of a burst is"
              + " written now rather than when flush.interval.ms runs out. A steady stream never idles this long; the time counts"
              + " from when the task finished handling the partition's last records. The task"
              + " has Connect call it back when a batch falls due (by this or flush.interval.ms), whatever the worker's"
              + " offset.flush.interval.ms.")
      .define(FILE_TARGET_BYTES, Type.LONG, 128L << 20, ConfigDef.Range.atLeast(1024), Importance.LOW,
          "Roll to a new data file past this size.")
      .define(ROW_GROUP_BYTES, Type.LONG, 128L << 20, ConfigDef.Range.atLeast(1024), Importance.LOW,
          "Parquet row group size.")
      .define(CHECKPOINT_INTERVAL, Type.INT, 10, ConfigDef.Range.atLeast(1), Importance.LOW,
          "Write a Delta checkpoint every this many commits (the table property delta.checkpointInterval of new tables).")
      .define(COMMIT_MAX_ATTEMPTS, Type.INT, 10, ConfigDef.Range.atLeast(1), Importance.LOW,
          "Attempts for a commit that conflicts with a maintenance writer before the task fails.")
      .define(COMMIT_BACKOFF_MS, Type.LONG, 500L, ConfigDef.Range.atLeast(0), Importance.LOW,
          "Backoff between conflicting commit attempts (multiplied by the attempt number).")
      .define(TXN_LAG_MAX_RECORDS, Type.LONG, 100_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
          "Append: a raw table that received no rows still records the partition's offset once it lags this far, bounding re-reads after a restart.")
      .define(REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new NonBlank(), Importance.HIGH,
          "The schema registry's URL(s), comma-separated, e.g. http://localhost:8081.")
      .define(S3_ENDPOINT, Type.STRING, "", Importance.MEDIUM,
          "S3 endpoint override (an S3-compatible store); empty for AWS's regional endpoint.")
      .define(S3_REGION, Type.STRING, "us-east-1", Importance.MEDIUM, "S3 region.")
      .define(S3_ACCESS_KEY, Type.STRING, "", Importance.MEDIUM,
          "S3 access key; empty to use the AWS default credentials chain.")
      .define(S3_SECRET_KEY, Type.PASSWORD, "", Importance.MEDIUM, "S3 secret key.")
      .define(S3_PATH_STYLE, Type.BOOLEAN, true, Importance.LOW, "Use path-style S3 addressing (needed by most S3-compatible stores).")
      .define(OFFLOAD_LOCAL_ROOT, Type.STRING, "", Importance.MEDIUM,
          "The directory where publishers offload large payloads locally (file:// pointers), if any.")
      .define(KEY_LOCATOR_DIR, Type.STRING, "", Importance.MEDIUM,
          "merge_on_read: local directory for the key locators (memory-mapped; rebuilt from the table at every start). "
              + "Empty: <java.io.tmpdir>/meshlake-key-locators.")
      .define(COMPACTION_DELETED_FRACTION, Type.DOUBLE, 0.5, ConfigDef.Range.between(0.01, 1.0), Importance.LOW,
          "merge_on_read: a file whose deleted rows reach this fraction is rewritten by its owner between flushes. "
              + "Each rewrite copies the file's live rows, so the default (half) keeps that copying to about two rows per change.")
      .define(COMPACTION_SMALL_FILES, Type.INT, 8, ConfigDef.Range.atLeast(2), Importance.LOW,
          "merge_on_read: small files of one workspace are tiered by live rows in steps of this factor (below it, below"
              + " its square, ...); once a tier holds this many files they are rewritten together into one of a higher tier"
              + " (in a quiet partition, with no records arriving, once it holds half as many).")
      .define(COMPACTION_SMALL_FILE_BYTES, Type.LONG, 8L << 20, ConfigDef.Range.atLeast(1), Importance.LOW,
          "merge_on_read: files below this size count as small.")
      .define(COMPACTION_MAX_BYTES, Type.LONG, 32L << 20, ConfigDef.Range.atLeast(1024), Importance.LOW,
          "merge_on_read: at most this many bytes of files rewritten per compaction round (at most one round per flush). It"
              + " bounds a round's copying (inline, the pause a flush waits for it); a round of 32 MiB (~100,000 rows) keeps up with the rewrites"
              + " 50,000-event batches cause (one to two rows per event) while a burst of due files is spread over several flushes.")
      .define(COMPACTION_MAX_TIME_SHARE, Type.DOUBLE, 0.5, ConfigDef.Range.between(0.05, 0.95), Importance.LOW,
          "merge_on_read: the largest share of a task's time self-compaction takes while files are due. A round is planned"
              + " to last at most share / (1 - share) times the time since the previous round ended or the open batch took its"
              + " first change, whichever is later (quiet time earns no credit), at the task's measured"
              + " cost per row, so a burst of due files is spread over the next flushes. Inline, records arriving meanwhile"
              + " wait: at the default (0.5) a partition flushed every second waits about a second for compaction at most;"
              + " in the background the round takes that share of a core.")
      .define(COMPACTION_IN_BACKGROUND, Type.BOOLEAN, false, Importance.LOW,
          "merge_on_read: false (default): a compaction round runs on the task thread right after the flush that made"
              + " files due, and the flush waits for it, so compaction keeps pace with the task. true: rounds read and write"
              + " on the worker's compaction threads (half as many as cores, shared by its merge tasks) while the task goes"
              + " on taking records, and the next flush commits them (rows a batch replaced meanwhile are marked deleted in"
              + " the round's files); on a 2-core worker they fell behind a bulk load's small files, and batches that touch"
              + " more files cost more (benchmarks/RESULTS.md, round P).")
      .define(OFFLOAD_S3_BUCKET, Type.STRING, "", Importance.MEDIUM,
          "The bucket where publishers offload large payloads (s3:// pointers), if any; read with the s3.* settings.");

  public DeltaSinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
  }

  public String tableRoot() {
    String root = getString(TABLE_ROOT).trim();
    return root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
  }

  public WriterType writerType() {
    return WriterType.parse(getString(WRITER_TYPE));
  }

  public String model() {
    return getString(MODEL).trim();
  }

  public String domain() {
    return getString(DOMAIN).trim();
  }

  public String tableName() {
    String name = getString(TABLE_NAME).trim();
    return name.isEmpty() ? model() : name;
  }

  public MergeMode mergeMode() {
    return MergeMode.parse(getString(MERGE_MODE));
  }

  public int flushMaxRecords() {
    return getInt(FLUSH_MAX_RECORDS);
  }

  /** Heap all sink tasks of this worker may hold in buffered events. */
  public long bufferHeapBytes() {
    return (long) (getDouble(BUFFER_HEAP_FRACTION) * Runtime.getRuntime().maxMemory());
  }

  public long flushMaxBytes() {
    return getLong(FLUSH_MAX_BYTES);
  }

  public Duration flushIdle() {
    return Duration.ofMillis(getLong(FLUSH_IDLE_MS));
  }

  public Duration flushInterval() {
    return Duration.ofMillis(getLong(FLUSH_INTERVAL_MS));
  }

  public long fileTargetBytes() {
    return getLong(FILE_TARGET_BYTES);
  }

  public long rowGroupBytes() {
    return getLong(ROW_GROUP_BYTES);
  }

  public int checkpointInterval() {
    return getInt(CHECKPOINT_INTERVAL);
  }

  public int commitMaxAttempts() {
    return getInt(COMMIT_MAX_ATTEMPTS);
  }

  public Duration commitBackoff() {
    return Duration.ofMillis(getLong(COMMIT_BACKOFF_MS));
  }

  public long txnLagMaxRecords() {
    return getLong(TXN_LAG_MAX_RECORDS);
  }

  public String registryUrl() {
    return getString(REGISTRY_URL).trim();
  }

  public String s3Endpoint() {
    return getString(S3_ENDPOINT).trim();
  }

  public String s3Region() {
    return getString(S3_REGION).trim();
  }

  public String s3AccessKey() {
    return getString(S3_ACCESS_KEY).trim();
  }

  public String s3SecretKey() {
    Password p = getPassword(S3_SECRET_KEY);
    return p == null ? "" : p.value();
  }

  public boolean s3PathStyle() {
    return getBoolean(S3_PATH_STYLE);
  }

  public String offloadLocalRoot() {
    return getString(OFFLOAD_LOCAL_ROOT).trim();
  }

  public java.nio.file.Path keyLocatorDir() {
    String dir = getString(KEY_LOCATOR_DIR).trim();
    return dir.isEmpty() ? java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "meshlake-key-locators") : java.nio.file.Path.of(dir);
  }

  public double compactionDeletedFraction() {
    return getDouble(COMPACTION_DELETED_FRACTION);
  }

  public int compactionSmallFiles() {
    return getInt(COMPACTION_SMALL_FILES);
  }

  public long compactionSmallFileBytes() {
    return getLong(COMPACTION_SMALL_FILE_BYTES);
  }

  public long compactionMaxBytes() {
    return getLong(COMPACTION_MAX_BYTES);
  }

  public boolean compactionInBackground() {
    return getBoolean(COMPACTION_IN_BACKGROUND);
  }

  public double compactionMaxTimeShare() {
    return getDouble(COMPACTION_MAX_TIME_SHARE);
  }

  public String offloadS3Bucket() {
    return getString(OFFLOAD_S3_BUCKET).trim();
  }

  static String[] names(WriterType[] types) {
    return Arrays.stream(types).map(WriterType::manifestName).toArray(String[]::new);
  }

  /** A string setting that must not be empty. */
  static final class NonBlank implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null || value.toString().isBlank()) {
        throw new ConfigException(name, value, name + " must not be empty");
      }
    }

    @Override
    public String toString() {
      return "non-empty string";
    }
  }

  /** A string setting with a fixed set of values, compared case-insensitively. */
  static final class OneOf implements ConfigDef.Validator {
    private final String[] allowed;

    OneOf(String... allowed) {
      this.allowed = allowed;
    }

    @Override
    public void ensureValid(String name, Object value) {
      String v = value == null ? "" : value.toString().trim();
      for (String a : allowed) {
        if (a.equalsIgnoreCase(v)) {
          return;
        }
      }
      throw new ConfigException(name, value, name + " must be one of " + String.join(", ", allowed));
    }

    @Override
    public String toString() {
      return String.join(", ", allowed);
    }
  }
}
