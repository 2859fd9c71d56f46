package io.meshlake.table.parquet;

/** A data file that was written completely: its location relative to the table root, size and stats. */
public record WrittenFile(String relativePath, long sizeBytes, long modificationTime, FileStats stats) {}
