package io.meshlake.registry.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlake.registry.SchemaReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON keys and values of the {@code _schemas} topic.
 *
 * <p>Keys carry {@code "meshlake":1} so that records written by anything else (for instance a
 * Confluent registry pointed at the same topic by mistake) are recognised and skipped. Proposal keys
 * contain the proposal's unique id, so compaction never drops one proposal in favour of another;
 * config keys are one per subject, so compaction keeps only the latest level.
 */
public final class LogCodec {

  static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A record as the bytes of a Kafka key and value (the value is null for a tombstone). */
  public record Encoded(byte[] key, byte[] value) {}

  private LogCodec() {}

  public static Encoded encode(LogRecord record) {
    ObjectNode key = JSON.createObjectNode();
    key.put("meshlake", FORMAT);
    ObjectNode value = JSON.createObjectNode();
    if (record instanceof LogRecord.Register r) {
      key.put("type", "REGISTER").put("proposal", r.proposal());
      value.put("subject", r.subject()).put("version", r.version()).put("id", r.id())
          .put("fingerprint", r.fingerprint()).put("schemaType", r.schemaType()).put("schema", r.schema());
      ArrayNode refs = value.putArray("references");
      for (SchemaReference ref : r.references()) {
        refs.addObject().put("name", ref.name()).put("subject", ref.subject()).put("version", ref.version());
      }
      value.put("basis", r.basis());
    } else if (record instanceof LogRecord.SoftDelete d) {
      key.put("type", "SOFT_DELETE").put("proposal", d.proposal());
      value.put("subject", d.subject());
      writeTargets(value, d.targets());
    } else if (record instanceof LogRecord.HardDelete d) {
      key.put("type", "HARD_DELETE").put("proposal", d.proposal());
      value.put("subject", d.subject());
      writeTargets(value, d.targets());
    } else if (record instanceof LogRecord.Config c) {
      key.put("type", "CONFIG");
      if (c.subject() != null) {
        key.put("subject", c.subject());
      }
      if (c.level() == null) {
        return new Encoded(bytes(key), null);
      }
      value.put("compatibilityLevel", c.level());
    }
    return new Encoded(bytes(key), bytes(value));
  }

  /**
   * The record, or null when the key is not a meshlake record or a proposal was tombstoned (neither
   * changes the state).
   *
   * @throws IllegalArgumentException when a meshlake record cannot be read
   */
  public static LogRecord decode(byte[] keyBytes, byte[] valueBytes) {
    JsonNode key = read(keyBytes, "key");
    if (key == null || !key.isObject() || key.path("meshlake").asInt(0) != FORMAT) {
      return null;
    }
    String type = key.path("type").asText("");
    if (type.equals("CONFIG")) {
      String subject = key.hasNonNull("subject") ? key.get("subject").asText() : null;
      JsonNode value = read(valueBytes, "value");
      return new LogRecord.Config(subject, value == null ? null : require(value, "compatibilityLevel").asText());
    }
    JsonNode value = read(valueBytes, "value");
    if (value == null) {
      return null;
    }
    String proposal = require(key, "proposal").asText();
    return switch (type) {
      case "REGISTER" -> {
        List<SchemaReference> refs = new ArrayList<>();
        for (JsonNode ref : value.path("references")) {
          refs.add(new SchemaReference(
              require(ref, "name").asText(), require(ref, "subject").asText(), require(ref, "version").asInt()));
        }
        yield new LogRecord.Register(
            proposal,
            require(value, "subject").asText(),
            require(value, "version").asInt(),
            require(value, "id").asInt(),
            require(value, "fingerprint").asText(),
            value.path("schemaType").asText("PROTOBUF"),
            require(value, "schema").asText(),
            refs,
            require(value, "basis").asLong());
      }
      case "SOFT_DELETE" -> new LogRecord.SoftDelete(proposal, require(value, "subject").asText(), targets(value));
      case "HARD_DELETE" -> new LogRecord.HardDelete(proposal, require(value, "subject").asText(), targets(value));
      default -> throw new IllegalArgumentException("unknown record type '" + type + "'");
    };
  }

  private static void writeTargets(ObjectNode value, List<LogRecord.Target> targets) {
    ArrayNode array = value.putArray("targets");
    for (LogRecord.Target t : targets) {
      array.addObject().put("version", t.version()).put("registration", t.registration());
    }
  }

  private static List<LogRecord.Target> targets(JsonNode value) {
    List<LogRecord.Target> targets = new ArrayList<>();
    for (JsonNode t : value.path("targets")) {
      targets.add(new LogRecord.Target(require(t, "version").asInt(), require(t, "registration").asText()));
    }
    return targets;
  }

  private static JsonNode require(JsonNode node, String field) {
    JsonNode child = node.get(field);
    if (child == null || child.isNull()) {
      throw new IllegalArgumentException("field '" + field + "' missing in " + node);
    }
    return child;
  }

  private static JsonNode read(byte[] bytes, String what) {
    if (bytes == null) {
      return null;
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      if (what.equals("key")) {
        return null; // not JSON: not ours
      }
      throw new IllegalArgumentException("record " + what + " is not JSON: " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + node, e);
    }
  }
}
