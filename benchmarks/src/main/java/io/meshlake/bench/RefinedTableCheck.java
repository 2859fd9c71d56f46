package io.meshlake.bench;

import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.TableScanner;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.TableStore;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A refined jira_issue table equals the oracle: one row per live entity, none for deleted or unknown
 * ones, each with the winning version and that version's content ({@link IssueFingerprint}).
 */
final class RefinedTableCheck {

  private static final int SAMPLE = 20;

  private RefinedTableCheck() {}

  static BenchResults.RefinedCheck run(TableStore store, String table, String mode, Oracle oracle) {
    DeltaTable refined = DeltaTable.open(store, table);
    TableSchema schema = refined.schema();
    int ariColumn = schema.require("resource_ari");
    int versionColumn = schema.require("_version");
    int generationColumn = schema.require("_generation_watermark");
    IssueFingerprint.Columns columns = IssueFingerprint.Columns.of(schema);
    BitSet seen = new BitSet(oracle.capacity());
    long[] counts = new long[6]; // rows, unexpected, deleted, wrongVersion, wrongContent, duplicates
    List<String> sample = new ArrayList<>();
    TableScanner.scan(refined, refined.latest(), row -> {
      counts[0]++;
      String ari = (String) row[ariColumn];
      long issue;
      try {
        issue = Oracle.issueNumber(ari);
      } catch (IllegalArgumentException e) {
        counts[1]++;
        note(sample, "row with a malformed resource_ari: " + ari);
        return;
      }
      int slot = oracle.find(issue);
      if (slot < 0) {
        counts[1]++;
        note(sample, "row for an entity no event created: " + ari);
        return;
      }
      if (seen.get(slot)) {
        counts[5]++;
        note(sample, "second row for " + ari);
        return;
      }
      seen.set(slot);
      Oracle.Expected expected = oracle.expectedAt(slot);
      long version = row[versionColumn] == null ? -1 : (Long) row[versionColumn];
      long generation = row[generationColumn] == null ? -1 : (Long) row[generationColumn];
      if (expected.deleted()) {
        counts[2]++;
        note(sample, ari + " is deleted at v" + expected.version() + " but the table has it at v" + version);
      } else if (version != expected.version() || generation != 0) {
        counts[3]++;
        note(sample, ari + " has v" + version + " (generation " + generation + "), expected v" + expected.version());
      } else if (IssueFingerprint.actual(row, columns) != expected.fingerprint()) {
        counts[4]++;
        note(sample, ari + " at v" + version + " does not carry that version's fields");
      }
    });
    long[] missing = {0};
    long[] live = {0};
    oracle.forEachLiveSlot(slot -> {
      live[0]++;
      if (!seen.get((int) slot)) {
        missing[0]++;
        Oracle.Expected e = oracle.expectedAt((int) slot);
        note(sample, "no row for live issue " + e.issueNumber() + " (expected v" + e.version() + ")");
      }
    });
    return new BenchResults.RefinedCheck(mode, live[0], counts[0], missing[0], counts[1], counts[2], counts[3], counts[4], counts[5],
        List.copyOf(sample));
  }

  private static void note(List<String> sample, String line) {
    if (sample.size() < SAMPLE) {
      sample.add(line);
    }
  }
}
