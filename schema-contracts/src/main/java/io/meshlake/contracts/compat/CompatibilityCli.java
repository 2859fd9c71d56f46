package io.meshlake.contracts.compat;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * CI's gate for contract changes: compares a directory of released contracts with the current ones
 * and refuses breaking changes. Exit codes: 0 compatible, 1 breaking change(s) (one line each on
 * stdout), 2 invalid input (unreadable .proto or manifest, bad arguments; the error on stderr).
 */
@Command(
    name = "compat-check",
    mixinStandardHelpOptions = true,
    description = {
      "Checks that the current .proto contracts and entity manifests are backward compatible with the baseline.",
      "Each directory holds .proto files (import paths relative to it) and *.manifest.yaml files.",
      "Exit codes: 0 compatible, 1 breaking changes, 2 invalid input."
    })
public final class CompatibilityCli implements Callable<Integer> {

  public static final int COMPATIBLE = 0;
  public static final int BREAKING = 1;
  public static final int INVALID_INPUT = 2;

  @Option(names = "--baseline", required = true, paramLabel = "<dir>", description = "The released contracts.")
  private Path baseline;

  @Option(names = "--current", required = true, paramLabel = "<dir>", description = "The proposed contracts.")
  private Path current;

  @Spec private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  /** Runs the command and returns its exit code instead of exiting (for tests and embedding). */
  public static int run(PrintStream out, PrintStream err, String... args) {
    PrintWriter outWriter = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CommandLine commandLine = new CommandLine(new CompatibilityCli()).setOut(outWriter).setErr(errWriter);
    // picocli already answers usage errors with 2; anything unexpected is also not a verdict on
    // compatibility, so it must not look like "breaking" (1).
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          cmd.getErr().println("error: " + exception);
          return INVALID_INPUT;
        });
    int exitCode = commandLine.execute(args);
    outWriter.flush();
    errWriter.flush();
    return exitCode;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Side before;
    Side after;
    try {
      before = Side.load("baseline", baseline);
      after = Side.load("current", current);
    } catch (InvalidSchemaException | UncheckedIOException e) {
      err.println("invalid input: " + e.getMessage());
      return INVALID_INPUT;
    }
    CompatibilityReport report =
        new CompatibilityChecker().check(before.protos(), before.manifests(), after.protos(), after.manifests());
    if (report.isCompatible()) {
      out.println(
          "compatible: " + current + " (" + after.protos().files().size() + " .proto files, "
              + after.manifests().entries().size() + " manifests) can replace " + baseline);
      return COMPATIBLE;
    }
    report.breakingChanges().forEach(change -> out.println(change.toLine()));
    out.println(report.breakingChanges().size() + " breaking change(s): " + current + " is not compatible with " + baseline);
    return BREAKING;
  }

  private record Side(ProtoSchemaSet protos, ManifestSet manifests) {
    static Side load(String role, Path dir) {
      try {
        return new Side(ProtoSchemaSet.fromDirectory(dir), ManifestSet.fromDirectory(dir));
      } catch (InvalidSchemaException e) {
        throw new InvalidSchemaException(e.file(), e.line(), role + " " + dir + ": " + e.getMessage(), e);
      }
    }
  }
}
