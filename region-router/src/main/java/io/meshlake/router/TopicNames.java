package io.meshlake.router;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The topic names the router reads and writes. Ingress topics are {@code facsimile.<domain>}; a
 * routed event goes to {@code region.<region>.facsimile.<domain>} on the ingress cluster (MirrorMaker 2
 * carries it to the region as {@code facsimile.<domain>}); a rejected one to {@code ingress.dlq.<domain>}.
 */
public final class TopicNames {

  public static final String FACSIMILE_PREFIX = "facsimile.";
  public static final String DLQ_PREFIX = "ingress.dlq.";
  /** A region name: lower-case letters, digits and '-', as used in topic names and MM2 cluster aliases. */
  public static final Pattern REGION_NAME = Pattern.compile("[a-z0-9-]+");

  private static final Pattern FACSIMILE = Pattern.compile("facsimile\\.([A-Za-z0-9._-]+)");
  private static final Pattern REGIONAL = Pattern.compile("region\\.([a-z0-9-]+)\\.(facsimile\\.[A-Za-z0-9._-]+)");

  private TopicNames() {}

  /** The domain of an ingress topic {@code facsimile.<domain>}, or null when the name is not one. */
  public static String domainOf(String facsimileTopic) {
    Matcher m = FACSIMILE.matcher(facsimileTopic);
    return m.matches() ? m.group(1) : null;
  }

  public static boolean isFacsimileTopic(String topic) {
    return topic != null && FACSIMILE.matcher(topic).matches();
  }

  /** {@code facsimile.jira} for region eu → {@code region.eu.facsimile.jira}. */
  public static String regionTopic(String region, String facsimileTopic) {
    return "region." + region + "." + facsimileTopic;
  }

  /** {@code facsimile.jira} → {@code ingress.dlq.jira}. */
  public static String dlqTopic(String facsimileTopic) {
    String domain = domainOf(facsimileTopic);
    if (domain == null) {
      throw new IllegalArgumentException("'" + facsimileTopic + "' is not an ingress topic facsimile.<domain>");
    }
    return DLQ_PREFIX + domain;
  }

  /** The region of a regional topic {@code region.<region>.facsimile.<domain>}, or null when the name is not one. */
  public static String regionOf(String regionTopic) {
    Matcher m = REGIONAL.matcher(regionTopic);
    return m.matches() ? m.group(1) : null;
  }

  /** {@code region.eu.facsimile.jira} → {@code facsimile.jira}, or null when the name is not a regional topic. */
  public static String facsimileTopicOf(String regionTopic) {
    Matcher m = REGIONAL.matcher(regionTopic);
    return m.matches() ? m.group(2) : null;
  }

  /** The MirrorMaker 2 topic filter selecting one region's topics on the ingress cluster. */
  public static String regionTopicRegex(String region) {
    if (!REGION_NAME.matcher(region).matches()) {
      throw new IllegalArgumentException("region '" + region + "' is not a region name [a-z0-9-]+");
    }
    // A region name has no regex metacharacters ('-' outside a class is literal).
    return "region\\." + region + "\\.facsimile\\..+";
  }
}
