package io.meshlake.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CompactionPacerTest {

  static final long MS = 1_000_000;

  @Test
  void aRoundMayTakeItsShareOfTheTimeSinceThePreviousRoundEnded() {
    AtomicLong clock = new AtomicLong(5 * MS);
    CompactionPacer half = new CompactionPacer(0.5, clock::get);
    CompactionPacer quarter = new CompactionPacer(0.25, clock::get);
    assertThat(half.rowBudget()).as("no time has passed").isZero();
    clock.addAndGet(10 * MS);
    // 10 ms at 20 µs a row: a round as long as the gap at share 0.5, a third of it at 0.25
    assertThat(half.rowBudget()).isEqualTo(500);
    assertThat(quarter.rowBudget()).isEqualTo(166);

    // the task's start (after its locator rebuild) resets the gap
    half.started();
    assertThat(half.rowBudget()).isZero();
  }

  @Test
  void timeBeforeABatchsFirstChangeEarnsNoCredit() {
    AtomicLong clock = new AtomicLong();
    CompactionPacer pacer = new CompactionPacer(0.5, clock::get);
    clock.addAndGet(60_000 * MS); // a minute of quiet (or a paused connector) with nothing due
    assertThat(pacer.rowBudget()).as("idle compaction may use the quiet time").isEqualTo(3_000_000);

    pacer.batchOpened();
    clock.addAndGet(400 * MS); // the batch stages for 400 ms and commits
    assertThat(pacer.rowBudget()).as("a round as long as the batch, not the minute before it").isEqualTo(20_000);

    // a round (e.g. in the background) that ended after the batch opened starts the credit at its end
    long started = clock.get() - 300 * MS;
    pacer.roundDone(started, clock.get() - 100 * MS, 1_000);
    assertThat(pacer.rowBudget()).isEqualTo(5_000);
    // ... and one that ended before it does not move the start back
    pacer.batchOpened();
    pacer.roundDone(started, started + MS, 1_000);
    assertThat(pacer.rowBudget()).isZero();
  }

  @Test
  void theCostPerRowFollowsTheTasksOwnRoundsButNotTinyOnes() {
    AtomicLong clock = new AtomicLong();
    CompactionPacer pacer = new CompactionPacer(0.5, clock::get);
    assertThat(pacer.nanosPerRow()).isEqualTo(CompactionPacer.INITIAL_NANOS_PER_ROW);

    long started = clock.get();
    clock.addAndGet(100 * MS); // 10,000 rows in 100 ms: 10 µs a row
    pacer.roundDone(started, 10_000);
    assertThat(pacer.nanosPerRow()).as("averaged with the estimate before").isEqualTo(15_000);
    assertThat(pacer.rowBudget()).as("the gap starts when the round ended").isZero();

    started = clock.get();
    clock.addAndGet(50 * MS); // a commit-dominated round of 2,000 rows
    pacer.roundDone(started, 2_000);
    assertThat(pacer.nanosPerRow()).isEqualTo(15_000);

    clock.addAndGet(30 * MS);
    assertThat(pacer.rowBudget()).isEqualTo(2_000);
  }

  @Test
  void unpacedRoundsAreBoundOnlyByThePolicy() {
    CompactionPacer unpaced = CompactionPacer.unpaced();
    assertThat(unpaced.rowBudget()).isEqualTo(Long.MAX_VALUE);
    unpaced.roundDone(0, 1_000_000);
    assertThat(unpaced.rowBudget()).isEqualTo(Long.MAX_VALUE);
    assertThat(unpaced.nanosPerRow()).isNaN();
  }

  @Test
  void aShareOutsideZeroToOneIsRefused() {
    for (double share : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> new CompactionPacer(share, System::nanoTime))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 1");
    }
  }
}
