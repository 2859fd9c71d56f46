package io.meshlake.table.delta;

import io.meshlake.table.parquet.WrittenFile;
import java.util.Map;

/** A written data file to add in a commit, with its partition values and ownership tags. */
public record NewFile(WrittenFile file, Map<String, String> partitionValues, Map<String, String> tags) {}
