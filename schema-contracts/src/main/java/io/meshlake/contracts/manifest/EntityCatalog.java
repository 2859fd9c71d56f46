package io.meshlake.contracts.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.meshlake.contracts.ContractTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every entity manifest of the released contracts, validated together: entity types and model names
 * are unique, every entity is a generated contract type, its primary key is a singular scalar field,
 * and every model it feeds has a SQL file.
 */
public final class EntityCatalog {

  public static final String CATALOG_RESOURCE = "meshlake/catalog.yaml";

  private final Map<Integer, EntityManifest> byEntityType;
  private final Map<String, EntityManifest> byEntity;
  private final Map<String, EntityManifest> byModel;
  private final Map<String, ModelRef> models;

  private EntityCatalog(List<EntityManifest> manifests) {
    Map<Integer, EntityManifest> types = new LinkedHashMap<>();
    Map<String, EntityManifest> entities = new LinkedHashMap<>();
    Map<String, EntityManifest> modelOwners = new LinkedHashMap<>();
    Map<String, ModelRef> modelRefs = new LinkedHashMap<>();
    for (EntityManifest m : manifests) {
      EntityManifest clash = types.putIfAbsent(m.entityType(), m);
      if (clash != null) {
        throw new ManifestException(m.source() + ": entity_type " + m.entityType() + " is already used by "
            + clash.entity() + " (" + clash.source() + "); entity types are never reused");
      }
      if (entities.putIfAbsent(m.entity(), m) != null) {
        throw new ManifestException(m.source() + ": entity " + m.entity() + " has two manifests");
      }
      Descriptor descriptor = ContractTypes.descriptor(m.entity()).orElseThrow(() -> new ManifestException(
          m.source() + ": entity " + m.entity() + " is not a message of the compiled contracts"));
      FieldDescriptor key = descriptor.findFieldByName(m.primaryKey());
      if (key == null || key.isRepeated() || key.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        throw new ManifestException(m.source() + ": primary_key '" + m.primaryKey() + "' must be a singular scalar field of " + m.entity());
      }
      for (ModelRef model : m.models()) {
        EntityManifest other = modelOwners.putIfAbsent(model.name(), m);
        if (other != null) {
          throw new ManifestException(m.source() + ": model '" + model.name() + "' is already fed by " + other.entity()
              + "; a streaming model has exactly one source");
        }
        modelRefs.put(model.name(), model);
        if (resourceText(modelResource(m.domain(), model.name())) == null) {
          throw new ManifestException(m.source() + ": model '" + model.name() + "' has no SQL file "
              + modelResource(m.domain(), model.name()));
        }
      }
    }
    this.byEntityType = Map.copyOf(types);
    this.byEntity = Map.copyOf(entities);
    this.byModel = Map.copyOf(modelOwners);
    this.models = Map.copyOf(modelRefs);
  }

  /** The catalog shipped in the contracts jar. */
  public static EntityCatalog load() {
    String catalog = resourceText(CATALOG_RESOURCE);
    if (catalog == null) {
      throw new ManifestException(CATALOG_RESOURCE + " is not on the classpath");
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(catalog);
    } catch (IOException e) {
      throw new ManifestException(CATALOG_RESOURCE + ": not valid YAML: " + e.getMessage(), e);
    }
    List<EntityManifest> manifests = new ArrayList<>();
    for (JsonNode path : root.path("manifests")) {
      String text = resourceText(path.asText());
      if (text == null) {
        throw new ManifestException(CATALOG_RESOURCE + " lists " + path.asText() + ", which is not on the classpath");
      }
      manifests.add(ManifestParser.parse(path.asText(), text));
    }
    return new EntityCatalog(manifests);
  }

  public static EntityCatalog of(List<EntityManifest> manifests) {
    return new EntityCatalog(manifests);
  }

  public Optional<EntityManifest> byEntityType(int entityType) {
    return Optional.ofNullable(byEntityType.get(entityType));
  }

  public Optional<EntityManifest> byEntity(String fullName) {
    return Optional.ofNullable(byEntity.get(fullName));
  }

  /** The entity that feeds the model. */
  public Optional<EntityManifest> byModel(String model) {
    return Optional.ofNullable(byModel.get(model));
  }

  public Optional<ModelRef> model(String model) {
    return Optional.ofNullable(models.get(model));
  }

  public Collection<EntityManifest> entities() {
    return byEntity.values().stream().sorted((a, b) -> Integer.compare(a.entityType(), b.entityType())).toList();
  }

  public List<EntityManifest> byDomain(String domain) {
    return entities().stream().filter(m -> m.domain().equals(domain)).toList();
  }

  public List<String> domains() {
    return entities().stream().map(EntityManifest::domain).distinct().toList();
  }

  /** The dbt-style SQL text of a model. */
  public String modelSql(String model) {
    EntityManifest owner = byModel.get(model);
    if (owner == null) {
      throw new ManifestException("no entity feeds a model named '" + model + "'; known models: " + models.keySet());
    }
    return resourceText(modelResource(owner.domain(), model));
  }

  public static String modelResource(String domain, String model) {
    return "models/" + domain + "/" + model + ".sql";
  }

  static String resourceText(String resource) {
    ClassLoader loader = EntityCatalog.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
