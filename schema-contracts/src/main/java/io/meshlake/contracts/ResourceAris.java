package io.meshlake.contracts;

import io.meshlake.contracts.manifest.EntityManifest;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds and reads the identifiers meshlake routes by: a resource ARI
 * {@code ari:cloud:<domain>:<workspace>:<kind>/<id>} and a workspace ARI
 * {@code ari:cloud:platform::workspace/<workspace>}.
 */
public final class ResourceAris {

  private static final Pattern RESOURCE = Pattern.compile("ari:cloud:([a-z0-9_-]+):([^:]+):([a-z0-9_-]+)/(.+)");
  private static final String WORKSPACE_PREFIX = "ari:cloud:platform::workspace/";

  private ResourceAris() {}

  public static String workspaceAri(String workspace) {
    requireWorkspace(workspace);
    return WORKSPACE_PREFIX + workspace;
  }

  public static String resourceAri(EntityManifest manifest, String workspace, String id) {
    requireWorkspace(workspace);
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException(manifest.entity() + " has an empty primary key '" + manifest.primaryKey() + "'");
    }
    return "ari:cloud:" + manifest.domain() + ":" + workspace + ":" + kind(manifest) + "/" + id;
  }

  /** The resource kind: the message name without its domain prefix, e.g. JiraIssue → issue. */
  public static String kind(EntityManifest manifest) {
    String name = manifest.messageName();
    String domainPrefix = manifest.domain().substring(0, 1).toUpperCase(Locale.ROOT) + manifest.domain().substring(1);
    if (name.startsWith(domainPrefix) && name.length() > domainPrefix.length()) {
      name = name.substring(domainPrefix.length());
    }
    return name.toLowerCase(Locale.ROOT);
  }

  /** The workspace named in a workspace ARI, or null when it is not one. */
  public static String workspaceOf(String workspaceAri) {
    if (workspaceAri == null || !workspaceAri.startsWith(WORKSPACE_PREFIX)) {
      return null;
    }
    String workspace = workspaceAri.substring(WORKSPACE_PREFIX.length());
    return isWorkspaceName(workspace) ? workspace : null;
  }

  /** The workspace segment of a resource ARI, or null when it is not one. */
  public static String workspaceOfResource(String resourceAri) {
    if (resourceAri == null) {
      return null;
    }
    Matcher m = RESOURCE.matcher(resourceAri);
    return m.matches() ? m.group(2) : null;
  }

  /**
   * 1-128 letters, digits, '-' or '_', starting with a letter or digit. Checked by hand, not by a
   * regex: the sink checks every event's workspace and a matcher per event showed in its profile.
   */
  static boolean isWorkspaceName(String workspace) {
    int n = workspace == null ? 0 : workspace.length();
    if (n == 0 || n > 128 || !isAsciiLetterOrDigit(workspace.charAt(0))) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = workspace.charAt(i);
      if (!isAsciiLetterOrDigit(c) && c != '-' && c != '_') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static void requireWorkspace(String workspace) {
    if (!isWorkspaceName(workspace)) {
      throw new IllegalArgumentException("workspace '" + workspace + "' must be 1-128 letters, digits, '-' or '_'");
    }
  }
}
