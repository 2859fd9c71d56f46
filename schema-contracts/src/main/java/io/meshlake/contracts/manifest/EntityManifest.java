package io.meshlake.contracts.manifest;

import java.util.List;

/**
 * What the owning team declares about one entity next to its .proto: its numeric entity type (part of
 * the wire contract, never reused), the owner, status, primary key and the refined models it feeds.
 *
 * @param entity fully qualified protobuf message name, e.g. {@code meshlake.jira.v1.JiraIssue}
 * @param domain the ingress topic is {@code facsimile.<domain>}
 */
public record EntityManifest(
    String entity,
    int entityType,
    String domain,
    String owner,
    EntityStatus status,
    String primaryKey,
    List<ModelRef> models,
    String source) {

  public EntityManifest {
    models = List.copyOf(models);
  }

  /** The Any type URL of the entity's payload. */
  public String typeUrl() {
    return "type.googleapis.com/" + entity;
  }

  /** The simple message name, as used in {@code source('<domain>', '<Name>')}. */
  public String messageName() {
    return entity.substring(entity.lastIndexOf('.') + 1);
  }

  public String ingressTopic() {
    return "facsimile." + domain;
  }
}
