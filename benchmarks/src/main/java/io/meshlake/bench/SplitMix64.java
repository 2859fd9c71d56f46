package io.meshlake.bench;

/**
 * Steele, Lea and Flood's SplitMix64: a tiny generator whose output is fixed by its definition, so the
 * workload is the same sequence on every JDK and machine (java.util.Random would be too, but is
 * synchronized and slower; SplittableRandom's algorithm is not part of its contract).
 */
final class SplitMix64 {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private long state;

  SplitMix64(long seed) {
    this.state = seed;
  }

  long nextLong() {
    return mix(state += GOLDEN_GAMMA);
  }

  /** Uniform in [0, bound). */
  int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    return (int) nextLong(bound);
  }

  /** Uniform in [0, bound), without modulo bias (rejection, as java.util.Random does). */
  long nextLong(long bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    while (true) {
      long r = nextLong() >>> 1;
      long value = r % bound;
      if (r - value + (bound - 1) >= 0) {
        return value;
      }
    }
  }

  /** Uniform in [0, 1) with 53 random bits. */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** The SplitMix64 finalizer: also a good 64-bit hash of a counter. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
