package io.meshlake.query;

import java.util.regex.Pattern;

/**
 * The workspace a query runs for. The rule is the one the envelope's workspace ARI follows
 * ({@code io.meshlake.contracts.ResourceAris}), so every workspace the sink partitions by is accepted
 * and nothing that could be read as SQL or a path is.
 */
final class WorkspaceIds {

  private static final Pattern WORKSPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

  private WorkspaceIds() {}

  static String require(String workspace) {
    if (workspace == null || workspace.isBlank()) {
      throw QueryException.rejected("a workspace is required");
    }
    if (!WORKSPACE.matcher(workspace).matches()) {
      throw QueryException.rejected("workspace '" + printable(workspace)
          + "' is not a workspace id: 1-128 letters, digits, '-' or '_', starting with a letter or digit");
    }
    return workspace;
  }

  private static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
