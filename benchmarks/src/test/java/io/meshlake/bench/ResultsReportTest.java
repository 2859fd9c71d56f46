package io.meshlake.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultsReportTest {

  @Test
  void settingsReadLikeTheReportsOwnFigures() {
    assertThat(ResultsReport.grouped("100000")).isEqualTo("100,000");
    assertThat(ResultsReport.grouped(" 67108864")).isEqualTo("67,108,864");
    // A value that is not a whole number (a user's --sink-setting) is shown as given.
    assertThat(ResultsReport.grouped("64MiB")).isEqualTo("64MiB");
  }
}
