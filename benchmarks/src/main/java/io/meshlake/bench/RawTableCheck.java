package io.meshlake.bench;

import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.TableScanner;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.TableStore;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The raw table holds each produced record exactly once: its rows' Kafka coordinates are exactly the
 * produced ones (no duplicate, none missing, none unknown), and the digest of (coordinates, ARI,
 * version) equals the producer's, so each coordinate carries the event produced there.
 */
final class RawTableCheck {

  private static final int SAMPLE = 20;

  private RawTableCheck() {}

  static BenchResults.RawCheck run(TableStore store, String table, String topic, ProducedLog produced) {
    DeltaTable raw = DeltaTable.open(store, table);
    TableSchema schema = raw.schema();
    int topicColumn = schema.require("_kafka_topic");
    int partitionColumn = schema.require("_kafka_partition");
    int offsetColumn = schema.require("_kafka_offset");
    int ariColumn = schema.require("resource_ari");
    int versionColumn = schema.require("_version");
    int partitions = produced.partitions();
    BitSet[] seen = new BitSet[partitions];
    BitSet[] expected = new BitSet[partitions];
    for (int p = 0; p < partitions; p++) {
      seen[p] = new BitSet();
      expected[p] = produced.offsets(p);
    }
    long[] rows = {0};
    long[] duplicates = {0};
    long[] unexpected = {0};
    long[] digest = {0};
    List<String> sample = new ArrayList<>();
    TableScanner.scan(raw, raw.latest(), row -> {
      rows[0]++;
      int partition = (Integer) row[partitionColumn];
      long offset = (Long) row[offsetColumn];
      String ari = (String) row[ariColumn];
      long version = (Long) row[versionColumn];
      if (!topic.equals(row[topicColumn]) || partition < 0 || partition >= partitions || !expected[partition].get(Math.toIntExact(offset))) {
        unexpected[0]++;
        note(sample, "unexpected row " + row[topicColumn] + "/" + partition + "@" + offset + " " + ari + " v" + version);
        return;
      }
      if (seen[partition].get(Math.toIntExact(offset))) {
        duplicates[0]++;
        note(sample, "duplicate row for " + partition + "@" + offset + " " + ari + " v" + version);
        return;
      }
      seen[partition].set(Math.toIntExact(offset));
      digest[0] += ProducedLog.entryDigest(partition, offset, ari, version);
    });
    long distinct = 0;
    long missing = 0;
    for (int p = 0; p < partitions; p++) {
      distinct += seen[p].cardinality();
      BitSet absent = (BitSet) expected[p].clone();
      absent.andNot(seen[p]);
      missing += absent.cardinality();
      for (int o = absent.nextSetBit(0); o >= 0 && sample.size() < SAMPLE; o = absent.nextSetBit(o + 1)) {
        note(sample, "missing row for produced record " + p + "@" + o);
      }
    }
    return new BenchResults.RawCheck(produced.count(), rows[0], distinct, missing, duplicates[0], unexpected[0],
        digest[0] == produced.digest() && duplicates[0] == 0 && unexpected[0] == 0 && missing == 0, List.copyOf(sample));
  }

  private static void note(List<String> sample, String line) {
    if (sample.size() < SAMPLE) {
      sample.add(line);
    }
  }
}
