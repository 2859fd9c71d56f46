package io.meshlake.sink.storage;

import io.meshlake.sink.config.DeltaSinkConfig;
import java.net.URI;

/** Opens the {@link TableStore} a configuration's {@code table.root} names. */
public final class TableStores {

  private TableStores() {}

  public static TableStore open(DeltaSinkConfig config) {
    String root = config.tableRoot();
    if (root.startsWith("s3://") || root.startsWith("s3a://")) {
      return S3TableStore.open(URI.create(root), S3Settings.of(config));
    }
    return new LocalTableStore(LocalTableStore.toPath(root.startsWith("file:") ? root : "file:" + root));
  }

  /** The table's location as the store qualifies it, e.g. file:/data/lake/jira_issue or s3a://bucket/lake/jira_issue. */
  public static String tablePath(DeltaSinkConfig config, String table) {
    return config.tableRoot() + "/" + table;
  }

}
