package io.meshlake.sink.connect;

import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.sink.config.ConfigChecks;
import io.meshlake.sink.config.DeltaSinkConfig;
import io.meshlake.sink.connect.TableStores;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * meshlake's Kafka Connect sink: raw (Append) and refined (Merge, MergeExploded) Delta tables,
 * exactly once. Every task gets the same configuration; Connect's partition assignment decides
 * which task owns which partition, and with it which data files.
 */
public class DeltaSinkConnector extends SinkConnector {

  public static final String VERSION = "0.1.0";

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    Map<String, List<String>> errors = ConfigChecks.check(props, EntityCatalog.load());
    if (!errors.isEmpty()) {
      throw new ConfigException(describe(errors));
    }
    DeltaSinkConfig config = new DeltaSinkConfig(props);
    // Create the tables here, once, so that tasks starting together never race to create them.
    SinkTables.open(config, EntityCatalog.load(), TableStores.open(config));
    this.props = new HashMap<>(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return DeltaSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>();
    for (int i = 0; i < maxTasks; i++) {
      configs.add(new HashMap<>(props));
    }
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return DeltaSinkConfig.CONFIG_DEF;
  }

  /** Adds the cross-setting rules to ConfigDef's own validation, on the setting each rule is about. */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = super.validate(connectorConfigs);
    Map<String, List<String>> errors = ConfigChecks.check(connectorConfigs, EntityCatalog.load());
    List<ConfigValue> values = new ArrayList<>(config.configValues());
    for (Map.Entry<String, List<String>> e : errors.entrySet()) {
      ConfigValue value = values.stream().filter(v -> v.name().equals(e.getKey())).findFirst().orElse(null);
      if (value == null) {
        value = new ConfigValue(e.getKey(), connectorConfigs.get(e.getKey()), List.of(), new ArrayList<>());
        values.add(value);
      }
      e.getValue().forEach(value::addErrorMessage);
    }
    return new Config(values);
  }

  static String describe(Map<String, List<String>> errors) {
    StringBuilder sb = new StringBuilder("invalid delta sink configuration:");
    errors.forEach((setting, messages) -> messages.forEach(m -> sb.append("\n  ").append(setting).append(": ").append(m)));
    return sb.toString();
  }

  @Override
  public String version() {
    return VERSION;
  }
}
