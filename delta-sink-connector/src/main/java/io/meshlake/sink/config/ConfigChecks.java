package io.meshlake.sink.config;

import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.contracts.manifest.ModelRef;
import io.meshlake.contracts.manifest.WriterType;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rules that span settings (and the connector's Connect-level settings), so a bad configuration is
 * refused by Connect's validate endpoint, and by the task at start, with the setting's name and the fix.
 */
public final class ConfigChecks {

  public static final String ERRORS_TOLERANCE = "errors.tolerance";
  public static final String DLQ_TOPIC = "errors.deadletterqueue.topic.name";
  public static final String VALUE_CONVERTER = "value.converter";
  static final String BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

  private ConfigChecks() {}

  /** Errors by setting name; empty when the configuration is usable. */
  public static Map<String, List<String>> check(Map<String, String> props, EntityCatalog catalog) {
    Map<String, List<String>> errors = new LinkedHashMap<>();
    DeltaSinkConfig config;
    try {
      config = new DeltaSinkConfig(props);
    } catch (RuntimeException e) {
      return errors; // single-setting errors are reported by ConfigDef itself
    }
    WriterType writer = config.writerType();
    if (writer == WriterType.APPEND) {
      if (config.domain().isEmpty()) {
        add(errors, DeltaSinkConfig.DOMAIN, "an Append sink needs the domain whose raw tables it writes; known domains: " + catalog.domains());
      } else if (!catalog.domains().contains(config.domain())) {
        add(errors, DeltaSinkConfig.DOMAIN, "unknown domain '" + config.domain() + "'; known domains: " + catalog.domains());
      }
    } else {
      String model = config.model();
      if (model.isEmpty()) {
        add(errors, DeltaSinkConfig.MODEL, "a " + writer.manifestName() + " sink needs the model it writes, e.g. jira_issue");
      } else {
        ModelRef ref = catalog.model(model).orElse(null);
        if (ref == null) {
          List<String> known = new ArrayList<>();
          for (EntityManifest m : catalog.entities()) {
            m.models().forEach(r -> known.add(r.name()));
          }
          add(errors, DeltaSinkConfig.MODEL, "unknown model '" + model + "'; known models: " + known);
        } else if (ref.writer() != writer) {
          add(errors, DeltaSinkConfig.WRITER_TYPE, "model '" + model + "' is declared " + ref.writer().manifestName()
              + " in its entity's manifest, not " + writer.manifestName());
        }
      }
    }
    checkRoot(config, errors);
    if (!config.s3AccessKey().isEmpty() && config.s3SecretKey().isEmpty()) {
      add(errors, DeltaSinkConfig.S3_SECRET_KEY, "s3.access.key is set but s3.secret.key is empty");
    }
    if (!"all".equalsIgnoreCase(props.getOrDefault(ERRORS_TOLERANCE, "none").trim())) {
      add(errors, ERRORS_TOLERANCE, "bad records must go to a dead-letter topic, never stop the sink: set errors.tolerance=all "
          + "and errors.deadletterqueue.topic.name=dlq.<domain>");
    }
    if (props.getOrDefault(DLQ_TOPIC, "").isBlank()) {
      add(errors, DLQ_TOPIC, "set errors.deadletterqueue.topic.name (e.g. dlq.<domain>) so bad records are kept with their reason; "
          + "also set errors.deadletterqueue.context.headers.enable=true");
    }
    String converter = props.get(VALUE_CONVERTER);
    if (converter != null && !converter.trim().equals(BYTE_ARRAY_CONVERTER)) {
      // Reported on writer.type: Connect's validate endpoint cannot carry a second entry for its own
      // class-typed value.converter setting.
      add(errors, DeltaSinkConfig.WRITER_TYPE, "value.converter must be " + BYTE_ARRAY_CONVERTER
          + ": the sink decodes the Confluent frame itself (got " + converter.trim() + ")");
    }
    return errors;
  }

  private static void checkRoot(DeltaSinkConfig config, Map<String, List<String>> errors) {
    String root = config.tableRoot();
    if (root.startsWith("s3://") || root.startsWith("s3a://")) {
      URI uri;
      try {
        uri = URI.create(root);
      } catch (IllegalArgumentException e) {
        add(errors, DeltaSinkConfig.TABLE_ROOT, "'" + root + "' is not a valid URI: " + e.getMessage());
        return;
      }
      if (uri.getHost() == null || uri.getHost().isBlank()) {
        add(errors, DeltaSinkConfig.TABLE_ROOT, "'" + root + "' names no bucket; use s3://<bucket>/<prefix>");
      }
    } else if (root.contains("://") && !root.startsWith("file:")) {
      add(errors, DeltaSinkConfig.TABLE_ROOT, "'" + root + "' is neither a local directory nor an s3:// or s3a:// location");
    } else if (!root.startsWith("/") && !root.startsWith("file:")) {
      add(errors, DeltaSinkConfig.TABLE_ROOT, "'" + root + "' must be an absolute directory (every worker resolves it the same way)");
    }
  }

  private static void add(Map<String, List<String>> errors, String setting, String message) {
    errors.computeIfAbsent(setting, k -> new ArrayList<>()).add(message);
  }
}
