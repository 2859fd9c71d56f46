package io.meshlake.router;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshlake.contracts.ResourceAris;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The JSON forms of the residency control messages:
 * {@code {"workspace":"acme","region":"eu","epoch":3,"changed_at":"2026-11-02T10:15:30Z"}} in
 * {@code control.workspace-residency}, and
 * {@code {"workspace":"acme","from_region":"us","to_region":"eu","epoch":3,"changed_at":"..."}} in
 * {@code control.residency-changes}. Unknown fields are ignored, so writers may add some.
 */
public final class ResidencyCodec {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ResidencyCodec() {}

  public static byte[] encode(ResidencyRecord record) {
    ObjectNode node = JSON.createObjectNode()
        .put("workspace", record.workspace())
        .put("region", record.region())
        .put("epoch", record.epoch())
        .put("changed_at", record.changedAt().toString());
    return bytes(node);
  }

  /** @throws InvalidResidencyException naming the missing or malformed field */
  public static ResidencyRecord decode(byte[] value) {
    JsonNode node = parse(value);
    return new ResidencyRecord(workspace(node, "workspace"), region(node, "region"), epoch(node), instant(node));
  }

  public static byte[] encode(ResidencyChange change) {
    ObjectNode node = JSON.createObjectNode().put("workspace", change.workspace());
    if (change.fromRegion() == null) {
      node.putNull("from_region");
    } else {
      node.put("from_region", change.fromRegion());
    }
    node.put("to_region", change.toRegion())
        .put("epoch", change.epoch())
        .put("changed_at", change.changedAt().toString());
    return bytes(node);
  }

  /** @throws InvalidResidencyException naming the missing or malformed field */
  public static ResidencyChange decodeChange(byte[] value) {
    JsonNode node = parse(value);
    JsonNode from = node.get("from_region");
    String fromRegion = from == null || from.isNull() ? null : region(node, "from_region");
    return new ResidencyChange(workspace(node, "workspace"), fromRegion, region(node, "to_region"), epoch(node),
        instant(node));
  }

  /** The serde of the router's residency store. */
  public static Serde<ResidencyRecord> serde() {
    Serializer<ResidencyRecord> serializer = (topic, record) -> record == null ? null : encode(record);
    Deserializer<ResidencyRecord> deserializer = (topic, bytes) -> bytes == null ? null : decode(bytes);
    return Serdes.serdeFrom(serializer, deserializer);
  }

  private static JsonNode parse(byte[] value) {
    if (value == null) {
      throw new InvalidResidencyException("no value");
    }
    JsonNode node;
    try {
      node = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new InvalidResidencyException("not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidResidencyException("not JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new InvalidResidencyException("not a JSON object: " + new String(value, StandardCharsets.UTF_8));
    }
    return node;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new InvalidResidencyException("field '" + field + "' is missing");
    }
    if (!value.isTextual()) {
      throw new InvalidResidencyException("field '" + field + "' is not a string: " + value);
    }
    return value.asText();
  }

  private static String workspace(JsonNode node, String field) {
    String workspace = text(node, field);
    if (ResourceAris.workspaceOf("ari:cloud:platform::workspace/" + workspace) == null) {
      throw new InvalidResidencyException("field '" + field + "' is '" + workspace
          + "', not a workspace id (1-128 letters, digits, '-' or '_')");
    }
    return workspace;
  }

  private static String region(JsonNode node, String field) {
    String region = text(node, field);
    if (!TopicNames.REGION_NAME.matcher(region).matches()) {
      throw new InvalidResidencyException("field '" + field + "' is '" + region + "', not a region name [a-z0-9-]+");
    }
    return region;
  }

  private static long epoch(JsonNode node) {
    JsonNode value = node.get("epoch");
    if (value == null || value.isNull()) {
      throw new InvalidResidencyException("field 'epoch' is missing");
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 1) {
      throw new InvalidResidencyException("field 'epoch' is " + value + ", not a whole number >= 1");
    }
    return value.asLong();
  }

  private static Instant instant(JsonNode node) {
    String text = text(node, "changed_at");
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidResidencyException("field 'changed_at' is '" + text + "', not an ISO-8601 instant such as 2026-11-02T10:15:30Z");
    }
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write residency JSON", e);
    }
  }
}
