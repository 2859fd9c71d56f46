package io.meshlake.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContractTypesTest {

  @Test
  void aTypeUrlNamesAMessageExactlyAsItsTypeNameDoes() {
    String name = "meshlake.jira.v1.JiraIssue";
    List<String> urls = List.of("type.googleapis.com/meshlake.jira.v1.JiraIssue", "meshlake.jira.v1.JiraIssue",
        "a/b/meshlake.jira.v1.JiraIssue", "type.googleapis.com/meshlake.jira.v1.JiraIssueX",
        "type.googleapis.com/xmeshlake.jira.v1.JiraIssue", "type.googleapis.com/meshlake.jira.v1.Jira",
        "type.googleapis.com/", "", "meshlake.jira.v1.JiraIssue/", "type.googleapis.com/meshlake.jira.v1.JiraIssue/x");
    for (String url : urls) {
      assertThat(ContractTypes.isTypeUrlOf(url, name)).as(url).isEqualTo(ContractTypes.typeName(url).equals(name));
    }
    assertThat(ContractTypes.isTypeUrlOf("type.googleapis.com/meshlake.jira.v1.JiraIssue", name)).isTrue();
    assertThat(ContractTypes.isTypeUrlOf("type.googleapis.com/meshlake.jira.v1.JiraIssueX", name)).isFalse();
    assertThat(ContractTypes.isTypeUrlOf("other/meshlake.jira.v1", name)).isFalse();
  }
}
