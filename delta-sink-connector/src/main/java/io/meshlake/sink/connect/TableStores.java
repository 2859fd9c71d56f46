package io.meshlake.sink.connect;

import io.meshlake.sink.config.DeltaSinkConfig;
import io.meshlake.table.storage.LocalTableStore;
import io.meshlake.table.storage.S3Settings;
import io.meshlake.table.storage.S3TableStore;
import io.meshlake.table.storage.TableStore;
import java.net.URI;

/** Opens the {@link TableStore} a configuration's {@code table.root} names. */
public final class TableStores {

  private TableStores() {}

  public static TableStore open(DeltaSinkConfig config) {
    String root = config.tableRoot();
    if (root.startsWith("s3://") || root.startsWith("s3a://")) {
      return S3TableStore.open(URI.create(root), s3Settings(config));
    }
    return new LocalTableStore(LocalTableStore.toPath(root.startsWith("file:") ? root : "file:" + root));
  }

  public static S3Settings s3Settings(DeltaSinkConfig config) {
    return new S3Settings(config.s3Endpoint(), config.s3Region(), config.s3AccessKey(), config.s3SecretKey(), config.s3PathStyle());
  }

  /** The table's location as the store qualifies it, e.g. file:/data/lake/jira_issue or s3a://bucket/lake/jira_issue. */
  public static String tablePath(DeltaSinkConfig config, String table) {
    return config.tableRoot() + "/" + table;
  }

}
