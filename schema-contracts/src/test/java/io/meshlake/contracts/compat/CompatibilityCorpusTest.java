package io.meshlake.contracts.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs every corpus case through the checker; the corpus is the checker's specification. */
class CompatibilityCorpusTest {

  private final CompatibilityChecker checker = new CompatibilityChecker();

  static List<CompatCorpus.Case> cases() {
    return CompatCorpus.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsExactlyTheExpectedRules(CompatCorpus.Case c) {
    CompatibilityReport report = checker.check(c.before(), c.beforeManifests(), c.after(), c.afterManifests());

    assertThat(report.rules()).as("%s: %s%n%s", c.name(), c.description(), report).isEqualTo(c.expectedRules());
    assertThat(report.isCompatible()).as(c.name()).isEqualTo(c.expectedCompatible());
    for (BreakingChange change : report.breakingChanges()) {
      assertThat(change.description()).as("descriptions start with the file").startsWith(change.file() + ": ");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everySideHasItsMainFileForTheRegistry(CompatCorpus.Case c) {
    assertThat(c.before().files()).as(c.name()).contains(c.mainFile());
    assertThat(c.after().files()).as(c.name()).contains(c.mainFile());
    assertThat(c.description()).as(c.name()).isNotBlank();
  }

  @Test
  void corpusHasEnoughCasesOfEachKind() {
    List<CompatCorpus.Case> cases = CompatCorpus.cases();
    assertThat(cases.stream().filter(c -> !c.expectedCompatible())).hasSizeGreaterThanOrEqualTo(25);
    assertThat(cases.stream().filter(CompatCorpus.Case::expectedCompatible)).hasSizeGreaterThanOrEqualTo(10);
    assertThat(cases).allSatisfy(c -> assertThat(c.expectedCompatible()).as(c.name()).isEqualTo(c.expectedRules().isEmpty()));
  }

  @Test
  void everyRuleIsExercisedByTheCorpus() {
    Set<CompatibilityRule> covered = EnumSet.noneOf(CompatibilityRule.class);
    CompatCorpus.cases().forEach(c -> covered.addAll(c.expectedRules()));

    assertThat(covered).containsExactlyInAnyOrder(CompatibilityRule.values());
  }

  @Test
  void corpusCoversImportsNestingOneofsAndPackages() {
    List<CompatCorpus.Case> cases = CompatCorpus.cases();
    assertThat(cases).anySatisfy(c -> assertThat(c.before().files()).hasSizeGreaterThan(1));
    assertThat(cases).anySatisfy(c -> assertThat(c.before().text(c.mainFile())).contains("oneof"));
    assertThat(cases).anySatisfy(c -> assertThat(c.before().messages(c.mainFile())).anySatisfy(m -> assertThat(m.nested()).isNotEmpty()));
    assertThat(cases).anySatisfy(c -> assertThat(c.expectedRules()).contains(CompatibilityRule.PACKAGE_CHANGED));
  }
}
