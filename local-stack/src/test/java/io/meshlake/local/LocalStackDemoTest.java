package io.meshlake.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `./meshlake demo --once` end to end: the whole stack comes up on free ports, the seed's query
 * answers what the publisher itself counted, and a second run on the same data directory resumes
 * without publishing again and without losing or duplicating a row.
 */
class LocalStackDemoTest {

  static final Pattern MONTH = Pattern.compile("^  (\\d{4}-\\d{2})\\s+\\|\\s+(\\d+)$", Pattern.MULTILINE);
  static final Pattern TABLES = Pattern.compile("^  (eu|us): \\{(.*)}$", Pattern.MULTILINE);

  @TempDir Path data;

  @Test
  void theDemoAnswersTheSeedQueryAndARestartResumesWithoutDuplicates() throws Exception {
    int base = freePortBase();
    String first = run("demo", "--once", "--data", data.toString(), "--port-base", Integer.toString(base));
    assertThat(first).contains("publishing ").contains("= the publisher's own counts");
    Map<String, Integer> expected = new TreeMap<>(new DemoData().resolvedPerMonth(DemoRunner.SHOWCASE_WORKSPACE));
    assertThat(months(first)).isEqualTo(expected);
    Map<String, String> tablesAfterFirst = tables(first);
    assertThat(tablesAfterFirst.get("eu")).contains("jira_issue=", "raw_jira_issue=", "confluence_page_version=");

    String second = run("demo", "--once", "--data", data.toString(), "--port-base", Integer.toString(base));
    assertThat(second).contains("already published (restart)").doesNotContain("publishing ");
    assertThat(months(second)).isEqualTo(expected);
    assertThat(tables(second)).as("the restart neither lost nor duplicated a row, raw tables included").isEqualTo(tablesAfterFirst);
  }

  static String run(String... args) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int status;
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      status = new CommandLine(new LocalStackMain()).execute(args);
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(status).as("exit status of demo; output:\n" + output).isZero();
    return output;
  }

  static Map<String, Integer> months(String output) {
    Map<String, Integer> months = new TreeMap<>();
    Matcher m = MONTH.matcher(output);
    while (m.find()) {
      months.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    return months;
  }

  static Map<String, String> tables(String output) {
    Map<String, String> tables = new TreeMap<>();
    Matcher m = TABLES.matcher(output);
    while (m.find()) {
      tables.put(m.group(1), m.group(2));
    }
    return tables;
  }

  /**
   * A base whose stack ports (base+80 .. base+300) are all free now and lie below the kernel's
   * ephemeral range: the stack binds its last port a minute after this check, and in the ephemeral
   * range any outgoing connection (the stack's own Kafka clients included) may take it meanwhile.
   */
  static int freePortBase() throws IOException {
    int ceiling = ephemeralLow() - 301;
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 10000 + (int) (Math.random() * ((ceiling - 10000) / 100)) * 100;
      if (allFree(base)) {
        return base;
      }
    }
    throw new IllegalStateException("no free port range for the local stack below " + ceiling);
  }

  /** The first port Linux hands out for outgoing connections (32768 where it cannot be read). */
  static int ephemeralLow() throws IOException {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    if (!Files.isReadable(range)) {
      return 32768;
    }
    // Read by lines: Files.readString trusts the size /proc reports and returns one byte.
    int low = Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
    if (low < 12000) {
      throw new IllegalStateException("the ephemeral port range starts at " + low + ", leaving no room for the local stack's ports");
    }
    return low;
  }

  static boolean allFree(int base) {
    for (int port = base + 80; port <= base + 300; port++) {
      try (ServerSocket socket = new ServerSocket(port)) {
        socket.setReuseAddress(true);
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }
}
