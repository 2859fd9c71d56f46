package io.meshlake.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** .proto texts the tests register. */
final class Protos {

  private Protos() {}

  /** A one-message schema in its own package, so that tests do not share schemas by accident. */
  static String order(String pkg) {
    return """
        syntax = "proto3";
        package %s;

        message Order {
          string id = 1;
        }
        """.formatted(pkg);
  }

  /** {@link #order} plus a field: compatible at every level. */
  static String orderWithAmount(String pkg) {
    return """
        syntax = "proto3";
        package %s;

        message Order {
          string id = 1;
          int64 amount = 2;
        }
        """.formatted(pkg);
  }

  /** {@link #orderWithAmount} plus one more field. */
  static String orderWithAmountAndNote(String pkg) {
    return """
        syntax = "proto3";
        package %s;

        message Order {
          string id = 1;
          int64 amount = 2;
          string note = 3;
        }
        """.formatted(pkg);
  }

  /** {@link #orderWithAmount} with field 1 removed and not reserved: breaking at every level. */
  static String orderWithoutId(String pkg) {
    return """
        syntax = "proto3";
        package %s;

        message Order {
          int64 amount = 2;
        }
        """.formatted(pkg);
  }

  /** meshlake's envelope, exactly as schema-contracts ships it. */
  static String facsimile() {
    return resource("meshlake/facsimile/v1/facsimile.proto");
  }

  static final String FACSIMILE_PATH = "meshlake/facsimile/v1/facsimile.proto";

  /** A schema importing the envelope (needs a reference) and a well-known type (needs none). */
  static String importsFacsimile(String pkg) {
    return """
        syntax = "proto3";
        package %s;

        import "meshlake/facsimile/v1/facsimile.proto";
        import "google/protobuf/timestamp.proto";

        message Holder {
          meshlake.facsimile.v1.Ari ari = 1;
          google.protobuf.Timestamp at = 2;
        }
        """.formatted(pkg);
  }

  static String resource(String path) {
    try (InputStream in = Protos.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
