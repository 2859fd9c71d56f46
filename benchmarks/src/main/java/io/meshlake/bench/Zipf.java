package io.meshlake.bench;

/** Ranks 1..n drawn with probability proportional to 1 / rank^exponent (inverse CDF over a table). */
final class Zipf {

  private final double[] cdf;

  Zipf(int n, double exponent) {
    if (n < 1 || !(exponent > 0)) {
      throw new IllegalArgumentException("Zipf needs n >= 1 and a positive exponent, got n=" + n + ", s=" + exponent);
    }
    cdf = new double[n];
    double sum = 0;
    for (int k = 1; k <= n; k++) {
      sum += 1.0 / Math.pow(k, exponent);
      cdf[k - 1] = sum;
    }
    for (int k = 0; k < n; k++) {
      cdf[k] /= sum;
    }
    cdf[n - 1] = 1.0;
  }

  /** The rank (1-based) for a uniform draw u in [0, 1). */
  int rank(double u) {
    int lo = 0;
    int hi = cdf.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (u < cdf[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo + 1;
  }

  /** The probability of a rank, for tests and documentation. */
  double probability(int rank) {
    return rank == 1 ? cdf[0] : cdf[rank - 1] - cdf[rank - 2];
  }
}
