package io.meshlake.sink.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshlake.contracts.manifest.EntityCatalog;
import java.lang.management.ManagementFactory;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates the output row and nothing else: no parsing, name lookups, maps or boxing per
 * event. Measured with the JVM's per-thread allocation counter; no timing is asserted.
 */
class AllocationTest {

  static final class LastRow implements Consumer<Object[]> {
    Object[] last;
    long count;

    @Override
    public void accept(Object[] row) {
      last = row;
      count++;
    }
  }

  @Test
  void applyingJiraIssueAMillionTimesAllocatesNoMoreThanTheOutputRows() {
    CompiledModel model = new ModelCompiler().compile(EntityCatalog.load(), "jira_issue");
    Object[] source = ShippedModelsTest.row(ShippedModelsTest.issue(), "ari:cloud:jira:ws-1:issue/10042", 7);
    RowFunction function = model.rowFunction();
    LastRow sink = new LastRow();

    for (int i = 0; i < 200_000; i++) {
      function.apply(source, sink);
    }
    var threads = ManagementFactory.getThreadMXBean();
    assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "per-thread allocation counter not available");
    com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
    assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled());
    long thread = Thread.currentThread().getId();

    int applies = 1_000_000;
    long before = counter.getThreadAllocatedBytes(thread);
    for (int i = 0; i < applies; i++) {
      function.apply(source, sink);
    }
    long allocated = counter.getThreadAllocatedBytes(thread) - before;

    assertThat(sink.count).isEqualTo(200_000L + applies);
    assertThat(sink.last).hasSize(model.schema().size());
    assertThat(sink.last[model.schema().indexOf("status")]).isEqualTo("IN_PROGRESS");
    // an Object[19] is 16 header bytes plus 4 (compressed) or 8 bytes per reference: 96 or 168 bytes.
    // REPLACE(status, ...) building a new String per event would add about 100 bytes more.
    long rowBytes = 16 + 8L * model.schema().size();
    assertThat(allocated / (double) applies).isLessThanOrEqualTo(rowBytes);
  }
}
