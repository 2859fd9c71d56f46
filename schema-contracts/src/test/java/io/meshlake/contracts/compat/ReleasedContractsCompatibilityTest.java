package io.meshlake.contracts.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The CI gate: the contracts in src/main/proto must stay compatible with the last released ones,
 * committed under baseline/. See the README's "Compatibility checker" section to update the baseline
 * on a release.
 */
class ReleasedContractsCompatibilityTest {

  private static final Path MODULE = Path.of(System.getProperty("basedir", "."));

  @Test
  void currentContractsAreCompatibleWithTheReleasedBaseline() {
    Path baselineDir = MODULE.resolve("baseline");
    Path currentDir = MODULE.resolve("src/main/proto");
    ProtoSchemaSet baseline = ProtoSchemaSet.fromDirectory(baselineDir);
    ManifestSet baselineManifests = ManifestSet.fromDirectory(baselineDir);
    // An empty baseline would pass anything.
    assertThat(baseline.files()).as("released .proto files under %s", baselineDir).isNotEmpty();
    assertThat(baselineManifests.entries()).as("released manifests under %s", baselineDir).isNotEmpty();

    CompatibilityReport report =
        new CompatibilityChecker()
            .check(baseline, baselineManifests, ProtoSchemaSet.fromDirectory(currentDir), ManifestSet.fromDirectory(currentDir));

    if (!report.isCompatible()) {
      fail("src/main/proto breaks the released contracts in baseline/. Make the change expand-contract "
          + "(add, don't change; reserve what you remove) or, for a deliberate new major version, add a new "
          + "package (v2) next to the old one.\n" + report);
    }
  }
}
