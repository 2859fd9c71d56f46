package io.meshlake.bench;

import com.google.protobuf.Any;
import io.meshlake.contracts.facsimile.v1.Ari;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.contracts.manifest.EntityCatalog;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The standard workload (bench/WORKLOAD.md) as a stream of delivered events, deterministic for its seed:
 * first the initial load (N inserts, in issue order), then change segments (88% updates of a live issue
 * chosen uniformly, 10% inserts, 2% tombstones; disorder and duplicates within each segment, see
 * {@link Delivery}). The standard change stream is one segment of U events; later segments (the freshness
 * probe's) continue the same sequence.
 *
 * <p>Decisions WORKLOAD.md leaves open, fixed here:
 * <ul>
 *   <li>Issue ids are Jira-like sequential numbers, {@value #FIRST_ISSUE_NUMBER} + n, eight digits (so
 *       their string order is their numeric order); a deleted id is never reused.
 *   <li>Updates and tombstones pick uniformly among <em>live</em> issues (a tombstoned issue receives no
 *       further events: the draw is repeated), so no event follows a delete in generation order; only
 *       disorder can deliver an older update after a tombstone, which last-write-wins must drop.
 *   <li>An issue's workspace is a Zipf(1.1) draw over 100 ranks made from a hash of its number; the
 *       workspace of rank r is {@code ws%03d}.
 *   <li>Versions: event i (0-based over the whole workload, in generation order) has version i + 1, so
 *       versions strictly increase per entity; generation_watermark is 0.
 *   <li>A tombstone carries the key-only JiraIssue as its payload.
 * </ul>
 * Memory: a bit per issue (deleted or not) and a long per issue inserted by a change event.
 */
public final class WorkloadGenerator {

  public static final long SEED = 42;
  public static final int WORKSPACES = 100;
  public static final double ZIPF_EXPONENT = 1.1;
  public static final double UPDATE_SHARE = 0.88;
  public static final double INSERT_SHARE = 0.10;
  public static final long FIRST_ISSUE_NUMBER = 10_000_000L;
  /** Issue ids stay eight digits below this many issues. */
  public static final long MAX_ISSUES = 90_000_000L;
  public static final String DOMAIN = "jira";
  public static final String ENTITY = "meshlake.jira.v1.JiraIssue";

  private static final long WORKSPACE_SALT = 0x57A11A5EL;

  private final long initialIssues;
  private final SplitMix64 rng;
  private final SplitMix64 deliveryRng;
  private final Zipf zipf = new Zipf(WORKSPACES, ZIPF_EXPONENT);
  private final IssueFactory issues;
  private final int entityType;
  private final BitSet deleted = new BitSet();
  private final Delivery.DeliveryStats stats = new Delivery.DeliveryStats();
  private long[] insertedAt = new long[1024];
  private long issuesCreated;
  private long live;
  private long nextEventIndex;
  private boolean initialLoadStarted;

  public WorkloadGenerator(long initialIssues) {
    this(initialIssues, SEED);
  }

  WorkloadGenerator(long initialIssues, long seed) {
    if (initialIssues < 1 || initialIssues >= MAX_ISSUES) {
      throw new IllegalArgumentException("the initial load must have 1.." + (MAX_ISSUES - 1) + " issues, got " + initialIssues);
    }
    this.initialIssues = initialIssues;
    this.rng = new SplitMix64(seed);
    this.deliveryRng = new SplitMix64(SplitMix64.mix(seed ^ 0xD15C0DEL));
    this.issues = new IssueFactory(seed);
    this.entityType = EntityCatalog.load().byEntity(ENTITY)
        .orElseThrow(() -> new IllegalStateException("no manifest for " + ENTITY + " in the entity catalog"))
        .entityType();
  }

  /** The N insert events of the initial load, in issue order. Call once, before any change segment. */
  public Iterator<WorkloadEvent> initialLoad() {
    if (initialLoadStarted) {
      throw new IllegalStateException("the initial load is generated once, first");
    }
    initialLoadStarted = true;
    return new Iterator<>() {
      private long remaining = initialIssues;

      @Override
      public boolean hasNext() {
        return remaining > 0;
      }

      @Override
      public WorkloadEvent next() {
        if (remaining == 0) {
          throw new NoSuchElementException();
        }
        remaining--;
        return insert();
      }
    };
  }

  /**
   * The next {@code count} change events, as delivered (with swaps and duplicates, so more than
   * {@code count} deliveries). Call after the initial load has been fully consumed.
   */
  public Iterator<WorkloadEvent> changes(long count) {
    if (!initialLoadStarted || issuesCreated < initialIssues) {
      throw new IllegalStateException("consume the initial load before generating changes");
    }
    if (count < 0) {
      throw new IllegalArgumentException("a change segment cannot have " + count + " events");
    }
    Iterator<WorkloadEvent> logical = new Iterator<>() {
      private long remaining = count;

      @Override
      public boolean hasNext() {
        return remaining > 0;
      }

      @Override
      public WorkloadEvent next() {
        if (remaining == 0) {
          throw new NoSuchElementException();
        }
        remaining--;
        return change();
      }
    };
    return new Delivery(logical, deliveryRng, stats);
  }

  /** Swaps and duplicates applied so far. */
  public long swaps() {
    return stats.swaps();
  }

  public long duplicates() {
    return stats.duplicates();
  }

  public long issuesCreated() {
    return issuesCreated;
  }

  public long liveIssues() {
    return live;
  }

  /** The workspace of rank 1..100: {@code ws001} is the largest tenant. */
  public static String workspace(int rank) {
    return String.format("ws%03d", rank);
  }

  public static String issueId(long issueNumber) {
    return Long.toString(issueNumber);
  }

  public static String resourceAri(String workspace, String issueId) {
    return "ari:cloud:" + DOMAIN + ":" + workspace + ":issue/" + issueId;
  }

  public static String workspaceAri(String workspace) {
    return "ari:cloud:platform::workspace/" + workspace;
  }

  private WorkloadEvent change() {
    double u = rng.nextDouble();
    if (live == 0 || u >= UPDATE_SHARE && u < UPDATE_SHARE + INSERT_SHARE) {
      return insert();
    }
    long index;
    do {
      index = rng.nextLong(issuesCreated);
    } while (deleted.get(Math.toIntExact(index)));
    if (u < UPDATE_SHARE) {
      return event(WorkloadEvent.Kind.UPDATE, index);
    }
    deleted.set(Math.toIntExact(index));
    live--;
    return event(WorkloadEvent.Kind.TOMBSTONE, index);
  }

  private WorkloadEvent insert() {
    long index = issuesCreated;
    if (index >= MAX_ISSUES) {
      throw new IllegalStateException("more than " + MAX_ISSUES + " issues: ids would no longer be eight digits");
    }
    issuesCreated++;
    live++;
    if (index >= initialIssues) {
      int slot = Math.toIntExact(index - initialIssues);
      if (slot >= insertedAt.length) {
        insertedAt = Arrays.copyOf(insertedAt, insertedAt.length * 2);
      }
      insertedAt[slot] = nextEventIndex;
    }
    return event(WorkloadEvent.Kind.INSERT, index);
  }

  private WorkloadEvent event(WorkloadEvent.Kind kind, long index) {
    long eventIndex = nextEventIndex++;
    long issueNumber = FIRST_ISSUE_NUMBER + index;
    int rank = workspaceRank(index);
    String workspace = workspace(rank);
    String issueId = issueId(issueNumber);
    long createdAt = index < initialIssues ? index : insertedAt[Math.toIntExact(index - initialIssues)];
    JiraIssue payload = kind == WorkloadEvent.Kind.TOMBSTONE
        ? IssueFactory.key(issueId)
        : issues.issue(issueId, issueNumber, rank, createdAt, eventIndex, rng);
    long version = eventIndex + 1;
    FacsimileRecord envelope = FacsimileRecord.newBuilder()
        .setResourceAri(Ari.newBuilder().setValue(resourceAri(workspace, issueId)))
        .setEntityType(entityType)
        .setWorkspaceId(Ari.newBuilder().setValue(workspaceAri(workspace)))
        .setVersion(version)
        .setGenerationWatermark(0)
        .setIsTombstone(kind == WorkloadEvent.Kind.TOMBSTONE)
        .setEntity(Any.pack(payload))
        .build();
    return new WorkloadEvent(kind, eventIndex, issueNumber, rank, version, false, envelope);
  }

  private int workspaceRank(long index) {
    long h = SplitMix64.mix(WORKSPACE_SALT ^ SplitMix64.mix(index));
    return zipf.rank((h >>> 11) * 0x1.0p-53);
  }
}
