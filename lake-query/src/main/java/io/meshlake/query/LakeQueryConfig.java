package io.meshlake.query;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What lake-query reads and the limits every query runs under. Validated when built, so a bad
 * value fails at startup with the name of the setting rather than at the first query.
 *
 * @param tableRoot directory holding one Delta table per sub-directory (e.g. {@code <data>/eu/lake})
 * @param maxRows rows returned at most; a longer result is cut and flagged {@code truncated}
 * @param timeout wall-clock budget of one query, including waiting for a slot and reading the tables
 * @param maxConcurrentQueries queries running at once; others wait (within their timeout)
 * @param maxScanBytes bytes of data files one query may read (sum of the referenced tables' files)
 * @param memoryLimit DuckDB memory limit per query, e.g. {@code 1GB}; there is no spilling to disk
 * @param threads DuckDB threads per query
 * @param timeZone session time zone: how TIMESTAMP columns (UTC instants) are formatted and compared
 * @param maxSqlChars longest SQL text accepted
 */
public record LakeQueryConfig(
    Path tableRoot,
    int maxRows,
    Duration timeout,
    int maxConcurrentQueries,
    long maxScanBytes,
    String memoryLimit,
    int threads,
    ZoneId timeZone,
    int maxSqlChars) {

  public static final int DEFAULT_MAX_ROWS = 10_000;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_CONCURRENT_QUERIES = 2;
  public static final long DEFAULT_MAX_SCAN_BYTES = 4L << 30;
  public static final String DEFAULT_MEMORY_LIMIT = "1GB";
  public static final int DEFAULT_THREADS = 2;
  public static final int DEFAULT_MAX_SQL_CHARS = 100_000;

  private static final Pattern MEMORY = Pattern.compile("\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)");

  public LakeQueryConfig {
    if (tableRoot == null) {
      throw new IllegalArgumentException("tableRoot is required: the directory holding the region's Delta tables");
    }
    tableRoot = tableRoot.toAbsolutePath().normalize();
    if (!Files.isDirectory(tableRoot)) {
      throw new IllegalArgumentException("tableRoot " + tableRoot + " is not a directory");
    }
    require(maxRows >= 1 && maxRows <= 1_000_000, "maxRows must be between 1 and 1000000, got " + maxRows);
    require(timeout != null && !timeout.isNegative() && timeout.toMillis() >= 100 && timeout.compareTo(Duration.ofHours(1)) <= 0,
        "timeout must be between 100ms and 1h, got " + timeout);
    require(maxConcurrentQueries >= 1 && maxConcurrentQueries <= 64,
        "maxConcurrentQueries must be between 1 and 64, got " + maxConcurrentQueries);
    require(maxScanBytes >= 1, "maxScanBytes must be positive, got " + maxScanBytes);
    require(memoryLimit != null && MEMORY.matcher(memoryLimit.trim().toUpperCase(Locale.ROOT)).matches(),
        "memoryLimit must be a size such as 512MB or 2GB, got '" + memoryLimit + "'");
    memoryLimit = memoryLimit.trim();
    require(threads >= 1 && threads <= 64, "threads must be between 1 and 64, got " + threads);
    require(timeZone != null, "timeZone is required (e.g. UTC)");
    require(maxSqlChars >= 1, "maxSqlChars must be positive, got " + maxSqlChars);
  }

  /** The defaults for a table root. */
  public static LakeQueryConfig forRoot(Path tableRoot) {
    return new LakeQueryConfig(tableRoot, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, DEFAULT_MAX_CONCURRENT_QUERIES,
        DEFAULT_MAX_SCAN_BYTES, DEFAULT_MEMORY_LIMIT, DEFAULT_THREADS, ZoneId.of("UTC"), DEFAULT_MAX_SQL_CHARS);
  }

  public LakeQueryConfig withMaxRows(int value) {
    return new LakeQueryConfig(tableRoot, value, timeout, maxConcurrentQueries, maxScanBytes, memoryLimit, threads, timeZone, maxSqlChars);
  }

  public LakeQueryConfig withTimeout(Duration value) {
    return new LakeQueryConfig(tableRoot, maxRows, value, maxConcurrentQueries, maxScanBytes, memoryLimit, threads, timeZone, maxSqlChars);
  }

  public LakeQueryConfig withMaxConcurrentQueries(int value) {
    return new LakeQueryConfig(tableRoot, maxRows, timeout, value, maxScanBytes, memoryLimit, threads, timeZone, maxSqlChars);
  }

  public LakeQueryConfig withMaxScanBytes(long value) {
    return new LakeQueryConfig(tableRoot, maxRows, timeout, maxConcurrentQueries, value, memoryLimit, threads, timeZone, maxSqlChars);
  }

  public LakeQueryConfig withMemoryLimit(String value) {
    return new LakeQueryConfig(tableRoot, maxRows, timeout, maxConcurrentQueries, maxScanBytes, value, threads, timeZone, maxSqlChars);
  }

  public LakeQueryConfig withThreads(int value) {
    return new LakeQueryConfig(tableRoot, maxRows, timeout, maxConcurrentQueries, maxScanBytes, memoryLimit, value, timeZone, maxSqlChars);
  }

  public LakeQueryConfig withTimeZone(ZoneId value) {
    return new LakeQueryConfig(tableRoot, maxRows, timeout, maxConcurrentQueries, maxScanBytes, memoryLimit, threads, value, maxSqlChars);
  }

  public LakeQueryConfig withMaxSqlChars(int value) {
    return new LakeQueryConfig(tableRoot, maxRows, timeout, maxConcurrentQueries, maxScanBytes, memoryLimit, threads, timeZone, value);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
