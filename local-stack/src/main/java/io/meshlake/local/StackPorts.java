package io.meshlake.local;

/**
 * The fixed localhost ports of the local stack, all derived from one base (default 19000) so a
 * second stack, or a test, can run beside the first with {@code --port-base}.
 */
record StackPorts(int base) {

  static final int DEFAULT_BASE = 19000;

  StackPorts {
    if (base < 1024 || base > 60000) {
      throw new IllegalArgumentException("--port-base must be between 1024 and 60000, got " + base);
    }
  }

  int registry() {
    return base + 81;
  }

  int router() {
    return base + 80;
  }

  int ingressKafka() {
    return base + 92;
  }

  int kafka(String region) {
    return base + 92 + 100 * (regionIndex(region) + 1);
  }

  int streams(String region) {
    return base + 80 + 100 * (regionIndex(region) + 1);
  }

  int connect(String region) {
    return base + 83 + 100 * (regionIndex(region) + 1);
  }

  int query(String region) {
    return base + 87 + 100 * (regionIndex(region) + 1);
  }

  static int regionIndex(String region) {
    return switch (region) {
      case "eu" -> 0;
      case "us" -> 1;
      default -> throw new IllegalArgumentException("the local stack has regions eu and us, not " + region);
    };
  }
}
