package io.meshlake.table.delta;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.engine.JsonHandler;
import io.delta.kernel.engine.MetricsReporter;
import java.util.ArrayList;
import java.util.List;

/**
 * Delta Kernel's default engine over a table store, with a log reader that skips the actions a read
 * does not ask for ({@link ActionFilteringJsonHandler}), and optionally more receivers of Kernel's
 * snapshot, scan and transaction reports.
 */
public final class TableEngine extends DefaultEngine {

  private final FileIO fileIO;
  private final List<MetricsReporter> reporters;

  private TableEngine(FileIO fileIO, List<MetricsReporter> reporters) {
    super(fileIO);
    this.fileIO = fileIO;
    this.reporters = List.copyOf(reporters);
  }

  public static TableEngine create(FileIO fileIO) {
    return new TableEngine(fileIO, List.of());
  }

  public static TableEngine create(FileIO fileIO, List<MetricsReporter> reporters) {
    return new TableEngine(fileIO, reporters);
  }

  @Override
  public JsonHandler getJsonHandler() {
    return new ActionFilteringJsonHandler(fileIO);
  }

  @Override
  public List<MetricsReporter> getMetricsReporters() {
    List<MetricsReporter> all = new ArrayList<>(super.getMetricsReporters());
    all.addAll(reporters);
    return all;
  }
}
