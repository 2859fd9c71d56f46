package io.meshlake.sink.writer;

import java.time.Duration;

/**
 * How data files are written and commits retried.
 *
 * @param targetFileBytes roll to a new data file past this size
 * @param rowGroupBytes Parquet row group size
 * @param maxCommitAttempts attempts for a commit that conflicts with a maintenance writer
 * @param commitBackoff the wait before the n-th retry is n times this
 * @param txnLagRecords a table that received no rows still gets its offset recorded once it lags by this many records
 */
public record WriterSettings(long targetFileBytes, long rowGroupBytes, int maxCommitAttempts, Duration commitBackoff,
    long txnLagRecords) {}
