package io.meshlake.local;

/** Waiting between polls of something that is coming up. */
final class Pause {

  private Pause() {}

  static void briefly() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
