package io.meshlake.local;

import io.meshlake.bus.LocalPayloadStore;
import io.meshlake.bus.PayloadResolutionException;
import io.meshlake.bus.PayloadStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Offloaded payloads stay in their workspace's home region: the publisher's key names the workspace
 * ({@code workspaces/<workspace>/...}), and the payload goes to that region's directory, where the
 * region's sink reads it.
 */
final class RegionalPayloadStore implements PayloadStore {

  private final Map<String, String> regionOfWorkspace;
  private final Map<String, LocalPayloadStore> byRegion = new HashMap<>();

  RegionalPayloadStore(Map<String, String> regionOfWorkspace, Map<String, Path> regionDirectories) {
    this.regionOfWorkspace = Map.copyOf(regionOfWorkspace);
    regionDirectories.forEach((region, dir) -> byRegion.put(region, new LocalPayloadStore(dir)));
  }

  @Override
  public URI put(String key, byte[] bytes) {
    String[] parts = key.split("/");
    if (parts.length < 2 || !parts[0].equals("workspaces")) {
      throw new IllegalArgumentException("offload key '" + key + "' does not name a workspace");
    }
    String region = regionOfWorkspace.get(parts[1]);
    if (region == null) {
      throw new IllegalStateException("workspace " + parts[1] + " has no home region in the demo");
    }
    return byRegion.get(region).put(key, bytes);
  }

  @Override
  public byte[] get(URI uri) {
    return byRegion.values().stream().filter(s -> s.serves(uri)).findFirst()
        .orElseThrow(() -> new PayloadResolutionException("offload pointer " + uri + " is in no region's store"))
        .get(uri);
  }

  @Override
  public boolean serves(URI uri) {
    return byRegion.values().stream().anyMatch(s -> s.serves(uri));
  }
}
