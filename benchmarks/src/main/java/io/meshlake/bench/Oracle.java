package io.meshlake.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.meshlake.contracts.ResourceAris;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.jira.v1.JiraIssue;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * What the refined jira_issue table must hold, computed from the delivered events alone (not from the
 * generator's state): for each resource ARI the event with the highest {@code (generation_watermark,
 * version)}; absent when that event is a tombstone. Keys are the numeric issue ids of the ARIs, in an
 * open-addressing table of primitive arrays (about 24 bytes per slot: 10M issues need ~400 MB), so
 * N = 10M fits a benchmark heap.
 */
public final class Oracle {

  private static final long EMPTY = Long.MIN_VALUE;
  private static final double MAX_LOAD = 0.7;

  private long[] keys;
  /** The winning version; negative ({@code -version - 1}) when the winner is a tombstone. */
  private long[] versions;
  /** The expected row's content ({@link IssueFingerprint}); unused for tombstones. */
  private long[] fingerprints;
  private int size;
  private long accepted;

  public Oracle(long expectedIssues) {
    int capacity = Integer.highestOneBit((int) Math.min(1L << 29, Math.max(16, (long) (expectedIssues / MAX_LOAD)))) * 2;
    allocate(capacity);
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
    versions = new long[capacity];
    fingerprints = new long[capacity];
  }

  /** Takes one delivered event into account (any order, duplicates allowed). */
  public void accept(FacsimileRecord event) {
    if (event.getGenerationWatermark() != 0) {
      // The workload's watermark is always 0; the table below orders by version alone.
      throw new IllegalArgumentException("the oracle orders by version only; got generation_watermark "
          + event.getGenerationWatermark() + " for " + event.getResourceAri().getValue());
    }
    String ari = event.getResourceAri().getValue();
    long key = issueNumber(ari);
    String workspace = ResourceAris.workspaceOf(event.getWorkspaceId().getValue());
    if (workspace == null || !workspace.equals(ResourceAris.workspaceOfResource(ari))) {
      throw new IllegalArgumentException("event " + ari + " has workspace_id " + event.getWorkspaceId().getValue());
    }
    accepted++;
    int slot = slot(key);
    long version = event.getVersion();
    if (keys[slot] != EMPTY && decode(versions[slot]) >= version) {
      return;
    }
    if (keys[slot] == EMPTY) {
      keys[slot] = key;
      size++;
    }
    if (event.getIsTombstone()) {
      versions[slot] = -version - 1;
      fingerprints[slot] = 0;
    } else {
      versions[slot] = version;
      fingerprints[slot] = IssueFingerprint.expected(workspace, payload(event));
    }
    if (size > keys.length * MAX_LOAD) {
      grow();
    }
  }

  /** Events taken into account. */
  public long accepted() {
    return accepted;
  }

  /** Distinct entities seen (live or deleted). */
  public int entities() {
    return size;
  }

  public long liveEntities() {
    long live = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY && versions[i] >= 0) {
        live++;
      }
    }
    return live;
  }

  /** The expectation for one key, or null when no event of it was seen. */
  public Expected expected(long issueNumber) {
    int slot = find(issueNumber);
    return slot < 0 ? null : expectedAt(slot);
  }

  /** What the table must say about one entity. */
  public record Expected(long issueNumber, long version, boolean deleted, long fingerprint) {}

  /** The slot of a key, or -1; stable until the next {@link #accept}. Used to mark keys seen in a scan. */
  int find(long issueNumber) {
    int mask = keys.length - 1;
    for (int i = hash(issueNumber) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == issueNumber) {
        return i;
      }
      if (keys[i] == EMPTY) {
        return -1;
      }
    }
  }

  int capacity() {
    return keys.length;
  }

  Expected expectedAt(int slot) {
    long v = versions[slot];
    return new Expected(keys[slot], decode(v), v < 0, fingerprints[slot]);
  }

  /** Calls back with every slot holding a live (not deleted) entity. */
  void forEachLiveSlot(LongConsumer slots) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY && versions[i] >= 0) {
        slots.accept(i);
      }
    }
  }

  /** The numeric issue id at the end of {@code ari:cloud:jira:<ws>:issue/<id>}. */
  public static long issueNumber(String ari) {
    int slash = ari.lastIndexOf("/");
    if (slash < 0 || !ari.startsWith("ari:cloud:jira:") || !ari.regionMatches(slash - 6, ":issue", 0, 6)) {
      throw new IllegalArgumentException("not a Jira issue ARI: " + ari);
    }
    try {
      return Long.parseLong(ari.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the issue id of " + ari + " is not a number", e);
    }
  }

  private static JiraIssue payload(FacsimileRecord event) {
    try {
      return event.getEntity().unpack(JiraIssue.class);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("payload of " + event.getResourceAri().getValue() + " is not a JiraIssue", e);
    }
  }

  private static long decode(long stored) {
    return stored < 0 ? -stored - 1 : stored;
  }

  private int slot(long key) {
    int mask = keys.length - 1;
    int i = hash(key) & mask;
    while (keys[i] != EMPTY && keys[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private static int hash(long key) {
    return (int) SplitMix64.mix(key);
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldVersions = versions;
    long[] oldFingerprints = fingerprints;
    allocate(oldKeys.length * 2);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int s = slot(oldKeys[i]);
        keys[s] = oldKeys[i];
        versions[s] = oldVersions[i];
        fingerprints[s] = oldFingerprints[i];
      }
    }
  }
}
