package io.meshlake.contracts.compat;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The entity manifests ({@code *.manifest.yaml}) of one version of the contracts, reduced to what
 * compatibility needs: which entity (fully-qualified message) owns which {@code entity_type} id.
 * The id travels in every envelope, so it must stay with its entity forever.
 */
public final class ManifestSet {

  /** The file-name suffix of an entity manifest. */
  public static final String MANIFEST_SUFFIX = ".manifest.yaml";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * One manifest.
   *
   * @param entity the fully-qualified message name, e.g. {@code meshlake.jira.v1.JiraIssue}
   * @param entityType the id carried in {@code FacsimileRecord.entity_type}
   * @param file the manifest's path relative to the contracts root
   */
  public record Entry(String entity, int entityType, String file) {}

  private final Map<String, Entry> byEntity;

  private ManifestSet(Map<String, Entry> byEntity) {
    this.byEntity = Collections.unmodifiableMap(byEntity);
  }

  public static ManifestSet empty() {
    return new ManifestSet(new TreeMap<>());
  }

  /** Manifests from their YAML texts, keyed by path. */
  public static ManifestSet of(Map<String, String> manifestsByPath) {
    Map<String, Entry> byEntity = new TreeMap<>();
    Map<Integer, Entry> byId = new TreeMap<>();
    for (Map.Entry<String, String> manifest : new TreeMap<>(manifestsByPath).entrySet()) {
      Entry entry = parse(manifest.getKey(), manifest.getValue());
      Entry sameEntity = byEntity.putIfAbsent(entry.entity(), entry);
      if (sameEntity != null) {
        throw new InvalidSchemaException(
            entry.file(), -1,
            entry.file() + ": entity " + entry.entity() + " is already declared by " + sameEntity.file());
      }
      Entry sameId = byId.putIfAbsent(entry.entityType(), entry);
      if (sameId != null) {
        throw new InvalidSchemaException(
            entry.file(), -1,
            entry.file() + ": entity_type " + entry.entityType() + " of " + entry.entity()
                + " is already used by " + sameId.entity() + " (" + sameId.file() + ")");
      }
    }
    return new ManifestSet(byEntity);
  }

  /** Every {@code *.manifest.yaml} under {@code root} (other files are ignored). */
  public static ManifestSet fromDirectory(Path root) {
    if (!Files.isDirectory(root)) {
      throw new InvalidSchemaException(null, -1, "not a directory of manifests: " + root);
    }
    Map<String, String> texts = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.filter(p -> p.toString().endsWith(MANIFEST_SUFFIX)).filter(Files::isRegularFile).toList()) {
        String relative = root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
        texts.put(relative, Files.readString(path, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifests under " + root, e);
    }
    return of(texts);
  }

  /** All manifests, sorted by entity. */
  public Collection<Entry> entries() {
    return byEntity.values();
  }

  public Optional<Entry> entity(String fullName) {
    return Optional.ofNullable(byEntity.get(fullName));
  }

  public Optional<Entry> byEntityType(int entityType) {
    return byEntity.values().stream().filter(e -> e.entityType() == entityType).findFirst();
  }

  public boolean isEmpty() {
    return byEntity.isEmpty();
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    byEntity.values().forEach(e -> parts.add(e.entity() + "=" + e.entityType()));
    return "ManifestSet" + parts;
  }

  private static Entry parse(String file, String yaml) {
    Objects.requireNonNull(yaml, () -> "no text for " + file);
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JacksonException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new InvalidSchemaException(file, line, file + (line > 0 ? ":" + line : "") + ": invalid YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidSchemaException(file, -1, file + ": a manifest must be a YAML mapping");
    }
    JsonNode entity = root.get("entity");
    if (entity == null || !entity.isTextual() || entity.asText().isBlank()) {
      throw new InvalidSchemaException(file, -1, file + ": 'entity' (the fully-qualified message name) is missing");
    }
    JsonNode entityType = root.get("entity_type");
    // 0 is proto3's "unset" for FacsimileRecord.entity_type, so ids start at 1.
    if (entityType == null || !entityType.canConvertToInt() || !entityType.isIntegralNumber() || entityType.intValue() < 1) {
      throw new InvalidSchemaException(
          file, -1, file + ": 'entity_type' must be a positive integer, was " + (entityType == null ? "missing" : entityType));
    }
    return new Entry(entity.asText().trim(), entityType.intValue(), file);
  }
}
