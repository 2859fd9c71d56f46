package io.meshlake.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One run over several table sizes ({@code --n 1000000,10000000}): each size's merge batch times side
 * by side, and the issue's scaling target — the median 50,000-event batch at N = 10M against N = 1M —
 * from the same invocation. The medians of single runs are noisy at N = 1M, where about half of the
 * batches carry a self-compaction round (benchmarks/RESULTS.md, round M): p90, the mean and the batch's
 * own merge (plan + log) are shown beside them.
 */
final class SizeComparison {

  private SizeComparison() {}

  /** A combined report: the comparison, then each size's own report with its headings one level down. */
  static String markdown(List<BenchResults> runs, String command) {
    List<BenchResults> bySize = bySize(runs);
    StringBuilder md = new StringBuilder();
    boolean ok = bySize.stream().allMatch(BenchResults::ok);
    ResultsReport.line(md, "# meshlake benchmark: standard workload at N = %s", sizes(bySize));
    ResultsReport.line(md, "");
    ResultsReport.line(md, ok ? "**PASSED (0 mismatches at every N)**" : "**FAILED** — see the failing size's report below");
    ResultsReport.line(md, "");
    ResultsReport.line(md, "Command: `%s`", command);
    ResultsReport.line(md, "");
    ResultsReport.line(md, "Each size ran on its own broker, worker and tables (a subdirectory `n-<N>` of the data directory), one after another.");
    ResultsReport.line(md, "");
    md.append(comparison(bySize));
    for (BenchResults r : bySize) {
      ResultsReport.line(md, "");
      for (String l : ResultsReport.markdown(r).split("\n", -1)) {
        md.append(l.startsWith("#") ? "#" + l : l).append('\n');
      }
    }
    return md.toString();
  }

  private static List<BenchResults> bySize(List<BenchResults> runs) {
    List<BenchResults> bySize = new ArrayList<>(runs);
    bySize.sort(Comparator.comparingLong(r -> r.config.initialIssues()));
    return bySize;
  }

  /** The merge batches of every size side by side, and the scaling target's verdict. */
  static String comparison(List<BenchResults> runs) {
    List<BenchResults> bySize = bySize(runs);
    StringBuilder md = new StringBuilder();
    ResultsReport.line(md, "## Merge batches across table sizes");
    ResultsReport.line(md, "");
    ResultsReport.line(md, "| mode | N | merge events/s | × baseline | 50,000-event batches | median | p90 | mean | merge part (plan + log), median "
        + "| median × smallest N's | p90 × | mean × | merge part × |");
    ResultsReport.line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (String mode : modes(bySize)) {
      BenchResults.BatchStats smallest = null;
      for (BenchResults r : bySize) {
        BenchResults.Merge m = merge(r, mode);
        if (m == null || !m.available() || m.throughput() == null) {
          ResultsReport.line(md, "| %s | %,d | – | – | – | – | – | – | – | – | – | – | – |", mode, r.config.initialIssues());
          continue;
        }
        BenchResults.BatchStats full = m.fullBatches();
        if (smallest == null && full != null) {
          smallest = full;
        }
        BenchResults.BatchStats base = smallest;
        ResultsReport.line(md, "| %s | %,d | %,.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", mode, r.config.initialIssues(),
            m.throughput().eventsPerSecond(),
            m.throughput().ratioToBaseline() == null ? "–" : String.format(Locale.ROOT, "%.3f", m.throughput().ratioToBaseline()),
            full == null ? "0" : Integer.toString(full.count()), millis(full, BenchResults.BatchStats::medianMillis),
            millis(full, BenchResults.BatchStats::p90Millis), millis(full, b -> Math.round(b.meanMillis())),
            millis(full, BenchResults.BatchStats::mergeMedianMillis),
            ratio(full, base, b -> (double) b.medianMillis()), ratio(full, base, b -> (double) b.p90Millis()),
            ratio(full, base, BenchResults.BatchStats::meanMillis),
            ratio(full, base, b -> b.mergeMedianMillis() == null ? null : (double) b.mergeMedianMillis()));
      }
    }
    ResultsReport.line(md, "");
    ResultsReport.line(md, "## Targets across sizes (issue 7, this machine)");
    ResultsReport.line(md, "");
    ResultsReport.line(md, "| target | this run | verdict |");
    ResultsReport.line(md, "|---|---|---|");
    BenchResults oneMillion = at(bySize, 1_000_000L);
    BenchResults tenMillion = at(bySize, ResultsReport.TEN_MILLION);
    for (String mode : modes(bySize)) {
      BenchResults.BatchStats small = fullBatches(oneMillion, mode);
      BenchResults.BatchStats large = fullBatches(tenMillion, mode);
      if (small == null || large == null) {
        ResultsReport.line(md, "| batch time at 10M ≤ %.1f × at 1M (%s) | needs `--n 1000000,10000000` with full batches at both | – |",
            ResultsReport.TARGET_BATCH_SCALING, mode);
        continue;
      }
      double scaling = (double) large.medianMillis() / small.medianMillis();
      ResultsReport.line(md, "| batch time at 10M ≤ %.1f × at 1M (%s) | median %s at 10M / %s at 1M = %.2f × (p90 %s, mean %s, merge part %s) | %s |",
          ResultsReport.TARGET_BATCH_SCALING, mode, ResultsReport.ms(large.medianMillis()), ResultsReport.ms(small.medianMillis()), scaling,
          ratio(large, small, b -> (double) b.p90Millis()), ratio(large, small, BenchResults.BatchStats::meanMillis),
          ratio(large, small, b -> b.mergeMedianMillis() == null ? null : (double) b.mergeMedianMillis()),
          ResultsReport.verdict(scaling <= ResultsReport.TARGET_BATCH_SCALING));
    }
    ResultsReport.line(md, "");
    ResultsReport.line(md, "The verdict is on the medians of whole batches: the batch's merge and the self-compaction it carries "
        + "(committing a round copied in the background, or with `compaction.in.background=false` a whole round). The merge part "
        + "(plan + log) is the batch's own work; how much self-compaction a batch carries depends on how far the table's files "
        + "are from their thresholds when the change stream runs, not on N (benchmarks/RESULTS.md, round O).");
    ResultsReport.line(md, "");
    ResultsReport.line(md, "The other targets are in each size's report below.");
    return md.toString();
  }

  private static String sizes(List<BenchResults> runs) {
    List<String> s = new ArrayList<>();
    runs.forEach(r -> s.add(String.format(Locale.ROOT, "%,d", r.config.initialIssues())));
    return String.join(" and ", s);
  }

  private static List<String> modes(List<BenchResults> runs) {
    List<String> modes = new ArrayList<>();
    for (BenchResults r : runs) {
      for (BenchResults.Merge m : r.merges) {
        if (!modes.contains(m.mode())) {
          modes.add(m.mode());
        }
      }
    }
    return modes;
  }

  private static BenchResults.Merge merge(BenchResults r, String mode) {
    return r.merges.stream().filter(m -> m.mode().equals(mode)).findFirst().orElse(null);
  }

  private static BenchResults at(List<BenchResults> runs, long n) {
    return runs.stream().filter(r -> r.config.initialIssues() == n).findFirst().orElse(null);
  }

  private static BenchResults.BatchStats fullBatches(BenchResults r, String mode) {
    BenchResults.Merge m = r == null ? null : merge(r, mode);
    return m == null || !m.available() || m.fullBatches() == null || m.fullBatches().medianMillis() <= 0 ? null : m.fullBatches();
  }

  private static String millis(BenchResults.BatchStats stats, Function<BenchResults.BatchStats, Long> figure) {
    Long value = stats == null ? null : figure.apply(stats);
    return value == null ? "–" : ResultsReport.ms(value);
  }

  /** A figure of {@code stats} over the same figure of {@code base}, or "–" when either lacks it. */
  private static String ratio(BenchResults.BatchStats stats, BenchResults.BatchStats base, Function<BenchResults.BatchStats, Double> figure) {
    Double value = stats == null ? null : figure.apply(stats);
    Double by = base == null ? null : figure.apply(base);
    return value == null || by == null || by <= 0 ? "–" : String.format(Locale.ROOT, "%.2f ×", value / by);
  }
}
