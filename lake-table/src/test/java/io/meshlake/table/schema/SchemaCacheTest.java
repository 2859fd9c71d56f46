package io.meshlake.table.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SchemaCacheTest {

  private static TableSchema schema(String column) {
    return new TableSchema(List.of(new ColumnType.Field("id", ColumnType.Primitive.STRING),
        new ColumnType.Field(column, ColumnType.Primitive.LONG)));
  }

  @Test
  void derivesOncePerDistinctSchemaComparedByValue() {
    AtomicInteger derived = new AtomicInteger();
    SchemaCache<String> cache = new SchemaCache<>(s -> derived.incrementAndGet() + ":" + s.names());
    String first = cache.get(schema("version"));
    // An equal schema built separately (as each file's writer gets it) finds the same value.
    assertThat(cache.get(schema("version"))).isSameAs(first);
    assertThat(derived).hasValue(1);
    String other = cache.get(schema("size"));
    assertThat(other).isEqualTo("2:[id, size]");
    assertThat(first).isEqualTo("1:[id, version]");
    assertThat(derived).hasValue(2);
  }

  @Test
  void forgetsEverythingOnceFullAndStillAnswersRight() {
    AtomicInteger derived = new AtomicInteger();
    SchemaCache<List<String>> cache = new SchemaCache<>(s -> {
      derived.incrementAndGet();
      return s.names();
    });
    for (int i = 0; i < SchemaCache.MAX_SCHEMAS; i++) {
      cache.get(schema("c" + i));
    }
    assertThat(cache.size()).isEqualTo(SchemaCache.MAX_SCHEMAS);
    assertThat(cache.get(schema("beyond"))).containsExactly("id", "beyond");
    assertThat(cache.size()).isEqualTo(1);
    // A schema seen before the reset is derived again, not lost.
    assertThat(cache.get(schema("c0"))).containsExactly("id", "c0");
    assertThat(derived).hasValue(SchemaCache.MAX_SCHEMAS + 2);
  }
}
