package io.meshlake.contracts.model;

import java.util.List;
import java.util.Map;

/** A model after Jinja: plain SQL reading one source, plus the keys its {@code config()} declared. */
public record RenderedModel(String name, String sql, ModelRenderer.SourceRef source, Map<String, Object> config) {

  public RenderedModel {
    config = Map.copyOf(config);
  }

  /** The table's key columns, from {@code config(unique_key=...)}; a single column or a list. */
  public List<String> uniqueKey() {
    return columns("unique_key");
  }

  /** For exploded models, the parent's key columns ({@code config(parent_key=...)}); empty otherwise. */
  public List<String> parentKey() {
    return config.containsKey("parent_key") ? columns("parent_key") : List.of();
  }

  private List<String> columns(String key) {
    Object value = config.get(key);
    if (value == null) {
      throw new ModelException("model '" + name + "' has no config(" + key + "=...)");
    }
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value));
  }
}
