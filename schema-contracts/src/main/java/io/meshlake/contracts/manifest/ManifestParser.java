package io.meshlake.contracts.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads one {@code *.manifest.yaml}, rejecting anything missing, unknown or malformed by name. */
public final class ManifestParser {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> FIELDS = Set.of("entity", "entity_type", "domain", "owner", "status", "primary_key", "models");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern MESSAGE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+");

  private ManifestParser() {}

  public static EntityManifest parse(String source, String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new ManifestException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ManifestException(source + ": a manifest is a YAML mapping with " + FIELDS);
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new ManifestException(source + ": unknown field '" + name + "'; a manifest has " + FIELDS);
      }
    }
    String entity = text(source, root, "entity");
    if (!MESSAGE.matcher(entity).matches()) {
      throw new ManifestException(source + ": entity '" + entity + "' must be a fully qualified message name such as meshlake.jira.v1.JiraIssue");
    }
    JsonNode typeNode = required(source, root, "entity_type");
    if (!typeNode.canConvertToInt() || !typeNode.isIntegralNumber() || typeNode.asInt() <= 0) {
      throw new ManifestException(source + ": entity_type must be a positive integer, got '" + typeNode.asText() + "'");
    }
    String domain = identifier(source, root, "domain");
    String owner = text(source, root, "owner");
    String statusText = text(source, root, "status");
    EntityStatus status;
    try {
      status = EntityStatus.valueOf(statusText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ManifestException(source + ": status '" + statusText + "' must be ACTIVE or DEPRECATED");
    }
    String primaryKey = identifier(source, root, "primary_key");
    JsonNode modelsNode = required(source, root, "models");
    if (!modelsNode.isArray()) {
      throw new ManifestException(source + ": models must be a list of {name, writer}");
    }
    List<ModelRef> models = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode model : modelsNode) {
      String name = identifier(source, model, "name");
      if (!seen.add(name)) {
        throw new ManifestException(source + ": model '" + name + "' is listed twice");
      }
      WriterType writer;
      try {
        writer = WriterType.parse(text(source, model, "writer"));
      } catch (IllegalArgumentException e) {
        throw new ManifestException(source + ": model '" + name + "': " + e.getMessage());
      }
      models.add(new ModelRef(name, writer));
    }
    return new EntityManifest(entity, typeNode.asInt(), domain, owner, status, primaryKey, models, source);
  }

  private static JsonNode required(String source, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new ManifestException(source + ": '" + field + "' is required");
    }
    return value;
  }

  private static String text(String source, JsonNode node, String field) {
    JsonNode value = required(source, node, field);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new ManifestException(source + ": '" + field + "' must be a non-empty string");
    }
    return value.asText().trim();
  }

  private static String identifier(String source, JsonNode node, String field) {
    String value = text(source, node, field);
    if (!IDENTIFIER.matcher(value).matches()) {
      throw new ManifestException(source + ": '" + field + "' value '" + value + "' must be lower_snake_case");
    }
    return value;
  }
}
