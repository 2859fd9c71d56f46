package io.meshlake.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlake.contracts.jira.v1.IssueStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawTableLayoutTest {

  private static SinkEvent onTopic(String topic, long offset) {
    SinkEvent e = MergeOnReadMergeTest.event(new MergeOnReadMergeTest.Change("ws1", "I-" + offset, offset + 1, false,
        List.of("a"), IssueStatus.ISSUE_STATUS_OPEN), offset);
    return new SinkEvent(e.record(), e.manifest(), e.workspace(), e.entity(), topic, e.partition(), e.offset(), e.timestamp(),
        e.entityColumns());
  }

  @Test
  void everyRowNamesItsOwnTopicWhenTopicsAlternate() {
    RawTableLayout layout = new RawTableLayout(MergeOnReadMergeTest.CATALOG.byEntityType(1).orElseThrow());
    int column = layout.layout().fileSchema().indexOf("_kafka_topic");
    List<String> topics = List.of("facsimile.jira", "facsimile.jira", "facsimile.tópico", "facsimile.jira", "x");
    for (int i = 0; i < topics.size(); i++) {
      Object[] row = layout.fileRow(onTopic(topics.get(i), i), 0L);
      assertThat(new String((byte[]) row[column], StandardCharsets.UTF_8)).as("row %d", i).isEqualTo(topics.get(i));
    }
    assertThat(layout.fileRow(onTopic(null, 9), 0L)[column]).isNull();
  }
}
