package io.meshlake.bus;

import java.net.URI;

/** Where payloads too large for the bus are put. Implementations exist for S3 and a local directory. */
public interface PayloadStore {

  /** Stores the bytes under the key (overwriting is harmless: keys are content-addressed) and returns their URI. */
  URI put(String key, byte[] bytes);

  /** The bytes at the URI; {@link PayloadResolutionException} when absent or unreadable. */
  byte[] get(URI uri);

  /** Whether this store serves the URI's scheme and location. */
  boolean serves(URI uri);
}
