package io.meshlake.table.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTableStoreTest {

  @TempDir
  Path root;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Every name in the directory: a leftover temporary file would show here. */
  private static long entries(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }

  @Test
  void createsMissingDirectoriesAndAgainAfterTheyWereDeleted() throws IOException {
    LocalTableStore store = new LocalTableStore(root);
    store.writeBytes("t/workspace_id=acme/part-0-a.parquet", utf8("one"));
    assertThat(Files.readString(root.resolve("t/workspace_id=acme/part-0-a.parquet"))).isEqualTo("one");
    // A workspace's partition directory is removed whole (an erase); the next batch writes into it again.
    Files.delete(root.resolve("t/workspace_id=acme/part-0-a.parquet"));
    Files.delete(root.resolve("t/workspace_id=acme"));
    store.writeBytes("t/workspace_id=acme/part-0-b.parquet", utf8("two"));
    assertThat(Files.readString(root.resolve("t/workspace_id=acme/part-0-b.parquet"))).isEqualTo("two");
    assertThat(entries(root.resolve("t/workspace_id=acme"))).isEqualTo(1);
  }

  @Test
  void overwritesOnCreateAndRefusesOnPutIfAbsentLeavingNoTemporaryFiles() throws IOException {
    LocalTableStore store = new LocalTableStore(root);
    store.writeBytes("t/_delta_log/x.json", utf8("first"));
    try (OutputStream out = store.create("t/_delta_log/x.json")) {
      out.write(utf8("second"));
    }
    assertThat(Files.readString(root.resolve("t/_delta_log/x.json"))).isEqualTo("second");
    String qualified = store.qualify("t/_delta_log/x.json");
    assertThatThrownBy(() -> {
      try (OutputStream out = store.newOutputFile(qualified).create(true)) {
        out.write(utf8("third"));
      }
    }).isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("put-if-absent");
    assertThat(Files.readString(root.resolve("t/_delta_log/x.json"))).isEqualTo("second");
    assertThat(entries(root.resolve("t/_delta_log"))).isEqualTo(1);
  }
}
