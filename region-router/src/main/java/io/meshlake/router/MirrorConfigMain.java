package io.meshlake.router;

import java.util.Map;

/**
 * Prints a region's MirrorMaker 2 settings from the router's configuration, for deployment with
 * curl and a worker properties file:
 * {@code java -cp region-router.jar:lib/* io.meshlake.router.MirrorConfigMain router.properties eu connector}
 * (the connector config JSON, for {@code PUT /connectors/meshlake-mirror-eu/config}) or {@code ... eu worker}
 * (the Connect worker properties). Exit status 2 on bad arguments or configuration.
 */
public final class MirrorConfigMain {

  static final String USAGE = "usage: java -cp ... io.meshlake.router.MirrorConfigMain <router.properties> <region> connector|worker";

  private MirrorConfigMain() {}

  public static void main(String[] args) {
    try {
      System.out.println(render(args, System.getenv()));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }
  }

  static String render(String[] args, Map<String, String> environment) {
    if (args.length != 3 || !(args[2].equals("connector") || args[2].equals("worker"))) {
      throw new IllegalArgumentException("expected <router.properties> <region> connector|worker");
    }
    RegionRouterConfig config = RegionRouterMain.loadConfig(new String[] {args[0]}, environment);
    String region = args[1];
    if (!config.regions().contains(region)) {
      throw new IllegalArgumentException("unknown region '" + region + "'; the configured regions are " + config.regions());
    }
    if (args[2].equals("connector")) {
      return MirrorConnectorConfigs.toJson(MirrorConnectorConfigs.forRegion(config, region));
    }
    StringBuilder properties = new StringBuilder("# Connect worker of region " + region + " (MirrorMaker 2)\n");
    MirrorConnectorConfigs.workerSettings(config, region)
        .forEach((key, value) -> properties.append(key).append('=').append(value).append('\n'));
    return properties.toString().stripTrailing();
  }
}
