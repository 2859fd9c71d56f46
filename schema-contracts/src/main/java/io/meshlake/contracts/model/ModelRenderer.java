package io.meshlake.contracts.model;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.el.ext.NamedParameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a dbt-style model (Jinja over SQL) into plain SQL. The macros a model may use:
 *
 * <ul>
 *   <li>{@code {{ source('<domain>', '<Entity>') }}} — the entity's event stream; exactly one per model.
 *   <li>{@code {{ envelope_fields() }}} — the system columns every refined table has:
 *       {@code workspace_id, resource_ari, _version, _generation_watermark}.
 *   <li>{@code {{ config(unique_key=..., parent_key=...) }}} — the table's key (a column or a list of
 *       columns) and, for exploded models, the parent's key; renders to nothing.
 * </ul>
 */
public final class ModelRenderer {

  /** Column names the source exposes for envelope fields. */
  public static final String ENVELOPE = "envelope";

  /** The system columns {@code envelope_fields()} produces, in order. */
  public static final List<String> SYSTEM_COLUMNS = List.of("workspace_id", "resource_ari", "_version", "_generation_watermark");

  static final String SOURCE_PREFIX = "__source__";

  private static final ThreadLocal<Capture> CAPTURE = new ThreadLocal<>();

  private final Jinjava jinjava;

  public ModelRenderer() {
    jinjava = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).build());
    jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "source", ModelRenderer.class, "source", String.class, String.class));
    jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "envelope_fields", ModelRenderer.class, "envelopeFields"));
    jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "config", ModelRenderer.class, "config", Object[].class));
  }

  /** Renders the model; the message of a failure names the model. */
  public RenderedModel render(String modelName, String template) {
    Capture capture = new Capture();
    CAPTURE.set(capture);
    try {
      RenderResult result = jinjava.renderForResult(template, Map.of());
      List<TemplateError> errors = result.getErrors().stream()
          .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
          .toList();
      if (!errors.isEmpty()) {
        throw new ModelException("model '" + modelName + "': " + errors.stream()
            .map(e -> "line " + e.getLineno() + ": " + e.getMessage()).collect(Collectors.joining("; ")));
      }
      if (capture.sources.size() != 1) {
        throw new ModelException("model '" + modelName + "' must read exactly one {{ source(...) }}, found "
            + capture.sources.size() + (capture.sources.isEmpty() ? "" : " " + capture.sources)
            + "; joins belong to enhanced views and tables, not to streaming models");
      }
      return new RenderedModel(modelName, result.getOutput().trim(), capture.sources.get(0), capture.config);
    } finally {
      CAPTURE.remove();
    }
  }

  private static final class Capture {
    final List<SourceRef> sources = new ArrayList<>();
    final Map<String, Object> config = new LinkedHashMap<>();
  }

  public static String source(String domain, String entity) {
    Capture capture = CAPTURE.get();
    SourceRef ref = new SourceRef(domain, entity);
    if (capture != null) {
      capture.sources.add(ref);
    }
    return ref.identifier();
  }

  public static String envelopeFields() {
    return ENVELOPE + ".workspace_id AS workspace_id, "
        + ENVELOPE + ".resource_ari AS resource_ari, "
        + ENVELOPE + ".version AS _version, "
        + ENVELOPE + ".generation_watermark AS _generation_watermark";
  }

  public static String config(Object... args) {
    Capture capture = CAPTURE.get();
    for (Object arg : args) {
      if (!(arg instanceof NamedParameter named)) {
        throw new IllegalArgumentException("config() takes named arguments only, e.g. config(unique_key='id')");
      }
      if (capture != null) {
        capture.config.put(named.getName(), named.getValue());
      }
    }
    return "";
  }

  /** The one entity stream a model reads. */
  public record SourceRef(String domain, String entity) {
    public String identifier() {
      return SOURCE_PREFIX + domain + "__" + entity;
    }
  }

}
