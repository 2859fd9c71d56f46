package io.meshlake.router;

import java.util.Map;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.connect.mirror.ReplicationPolicy;

/**
 * MirrorMaker 2's topic naming for the regional mirrors: {@code region.<region>.facsimile.<domain>} on
 * the ingress cluster becomes {@code facsimile.<domain>} on the region's cluster, so regional consumers
 * see the same topic names in every region.
 *
 * <p>Configured by the connector's own {@code source.cluster.alias} (the ingress cluster) and
 * {@code target.cluster.alias} (the region). It fails closed: asked to name the remote topic of
 * anything but this region's topics (say {@code region.us.*} in the EU mirror, or the raw ingress
 * {@code facsimile.*} holding every region's events) it throws, which fails the MirrorMaker task before a
 * record is written, instead of carrying events to the wrong region.
 *
 * <p>For MirrorMaker's bookkeeping: a regional {@code facsimile.<domain>} topic is a remote topic whose
 * source is the ingress alias and whose upstream is {@code region.<region>.facsimile.<domain>}; the
 * ingress {@code region.*} topics are not remote (so they are never taken for a replication cycle);
 * regional topics are never internal, even for a domain named {@code internal}. Heartbeat topics keep
 * their names.
 */
public class RegionReplicationPolicy implements ReplicationPolicy, Configurable {

  static final String SOURCE_ALIAS = "source.cluster.alias";
  static final String TARGET_ALIAS = "target.cluster.alias";

  private String sourceAlias;
  private String region;

  public RegionReplicationPolicy() {}

  RegionReplicationPolicy(String sourceAlias, String region) {
    this.sourceAlias = sourceAlias;
    this.region = region;
  }

  @Override
  public void configure(Map<String, ?> props) {
    Object source = props.get(SOURCE_ALIAS);
    Object target = props.get(TARGET_ALIAS);
    sourceAlias = source == null ? null : source.toString();
    region = target == null ? null : target.toString();
  }

  @Override
  public String formatRemoteTopic(String sourceClusterAlias, String topic) {
    String facsimileTopic = TopicNames.facsimileTopicOf(topic);
    if (facsimileTopic != null) {
      String topicRegion = TopicNames.regionOf(topic);
      if (region == null || !region.equals(topicRegion)) {
        throw new IllegalArgumentException("refusing to mirror " + topic + " (events of region " + topicRegion
            + ") to " + (region == null ? "a cluster without " + TARGET_ALIAS : "region " + region)
            + ": it would put them outside their home region; the connector's topics must be "
            + (region == null ? "region\\.<region>\\.facsimile\\..+" : TopicNames.regionTopicRegex(region)));
      }
      return facsimileTopic;
    }
    if (isHeartbeatsTopic(topic)) {
      return topic;
    }
    throw new IllegalArgumentException("refusing to mirror " + topic + " to region " + region
        + ": only region." + (region == null ? "<region>" : region) + ".facsimile.<domain> topics go to a region"
        + " (the ingress facsimile.* topics hold every region's events)");
  }

  @Override
  public String topicSource(String topic) {
    return isRegionalFacsimileTopic(topic) ? sourceAlias : null;
  }

  @Override
  public String upstreamTopic(String topic) {
    return isRegionalFacsimileTopic(topic) && region != null ? TopicNames.regionTopic(region, topic) : null;
  }

  @Override
  public boolean isInternalTopic(String topic) {
    return TopicNames.facsimileTopicOf(topic) == null && !TopicNames.isFacsimileTopic(topic)
        && ReplicationPolicy.super.isInternalTopic(topic);
  }

  /** A {@code facsimile.<domain>} topic on a regional cluster, written there by this policy's mirror. */
  private boolean isRegionalFacsimileTopic(String topic) {
    return sourceAlias != null && TopicNames.isFacsimileTopic(topic);
  }
}
