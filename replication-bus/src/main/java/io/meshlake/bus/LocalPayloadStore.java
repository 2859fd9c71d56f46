package io.meshlake.bus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Offloaded payloads in a local directory (the local stack's default), as {@code file://} URIs. */
public final class LocalPayloadStore implements PayloadStore {

  private final Path root;

  public LocalPayloadStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public URI put(String key, byte[] bytes) {
    Path target = resolve(key);
    try {
      Files.createDirectories(target.getParent());
      // Write then rename, so a reader never sees a half-written payload.
      Path temp = Files.createTempFile(target.getParent(), ".offload", ".tmp");
      Files.write(temp, bytes);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target.toUri();
    } catch (IOException e) {
      throw new UncheckedIOException("could not offload payload to " + target, e);
    }
  }

  @Override
  public byte[] get(URI uri) {
    if (!serves(uri)) {
      throw new PayloadResolutionException("offload pointer " + uri + " is not under " + root);
    }
    try {
      return Files.readAllBytes(Path.of(uri));
    } catch (NoSuchFileException e) {
      throw new PayloadResolutionException("offload pointer " + uri + ": object does not exist", e);
    } catch (IOException e) {
      throw new PayloadResolutionException("offload pointer " + uri + ": could not be read: " + e, e);
    }
  }

  @Override
  public boolean serves(URI uri) {
    return "file".equals(uri.getScheme()) && Path.of(uri).normalize().startsWith(root);
  }

  private Path resolve(String key) {
    Path target = root.resolve(key).normalize();
    if (!target.startsWith(root)) {
      throw new IllegalArgumentException("offload key '" + key + "' escapes " + root);
    }
    return target;
  }
}
