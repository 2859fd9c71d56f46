package io.meshlake.streams;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.meshlake.contracts.ContractTypes;
import io.meshlake.contracts.ResourceAris;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.facsimile.v1.OffloadPointer;
import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Checks a decoded envelope of one domain's ingress topic against the contract before it may take
 * part in last-write-wins. The checks run in a fixed order, so one record always gets the same reason.
 */
final class EnvelopeValidator {

  private final String domain;
  private final EntityCatalog catalog;

  EnvelopeValidator(String domain, EntityCatalog catalog) {
    this.domain = domain;
    this.catalog = catalog;
  }

  EntityEvent validate(byte[] key, FacsimileRecord envelope) throws InvalidEnvelopeException {
    String ari = envelope.getResourceAri().getValue();
    if (ari.isBlank()) {
      throw new InvalidEnvelopeException(DlqReason.MISSING_RESOURCE_ARI, "the envelope has no resource_ari");
    }
    // LWW state and model partitions are keyed by the record key: it must be the ARI itself.
    if (key == null || !Arrays.equals(key, ari.getBytes(StandardCharsets.UTF_8))) {
      throw new InvalidEnvelopeException(DlqReason.KEY_MISMATCH, "the record key "
          + (key == null ? "is null" : "'" + abbreviate(new String(key, StandardCharsets.UTF_8)) + "'")
          + " is not the resource ARI '" + abbreviate(ari) + "'");
    }
    EntityManifest manifest = catalog.byEntityType(envelope.getEntityType()).orElseThrow(() -> new InvalidEnvelopeException(
        DlqReason.UNKNOWN_ENTITY_TYPE, "no entity manifest declares entity_type " + envelope.getEntityType()));
    if (!manifest.domain().equals(domain)) {
      throw new InvalidEnvelopeException(DlqReason.WRONG_DOMAIN, "entity_type " + manifest.entityType() + " (" + manifest.entity()
          + ") belongs to domain '" + manifest.domain() + "', not to '" + domain + "' of " + TopicNames.ingress(domain));
    }
    String workspaceAri = envelope.getWorkspaceId().getValue();
    if (workspaceAri.isBlank()) {
      throw new InvalidEnvelopeException(DlqReason.MISSING_WORKSPACE, "the envelope has no workspace_id");
    }
    String workspace = ResourceAris.workspaceOf(workspaceAri);
    if (workspace == null) {
      throw new InvalidEnvelopeException(DlqReason.INVALID_WORKSPACE, "workspace_id '" + abbreviate(workspaceAri)
          + "' is not a workspace ARI ari:cloud:platform::workspace/<workspace>");
    }
    // An ARI of another kind would share LWW state with a different entity.
    String resourceWorkspace = ResourceAris.workspaceOfResource(ari);
    String expectedPrefix = "ari:cloud:" + manifest.domain() + ":" + resourceWorkspace + ":" + ResourceAris.kind(manifest) + "/";
    if (resourceWorkspace == null || !ari.startsWith(expectedPrefix)) {
      throw new InvalidEnvelopeException(DlqReason.INVALID_RESOURCE_ARI, "resource_ari '" + abbreviate(ari) + "' is not ari:cloud:"
          + manifest.domain() + ":<workspace>:" + ResourceAris.kind(manifest) + "/<id> of " + manifest.entity());
    }
    if (!resourceWorkspace.equals(workspace)) {
      throw new InvalidEnvelopeException(DlqReason.WORKSPACE_MISMATCH, "resource_ari names workspace '" + resourceWorkspace
          + "' but workspace_id names '" + workspace + "'");
    }
    if (envelope.getVersion() < 0) {
      throw new InvalidEnvelopeException(DlqReason.NEGATIVE_VERSION, "version is " + envelope.getVersion());
    }
    if (envelope.getGenerationWatermark() < 0) {
      throw new InvalidEnvelopeException(DlqReason.NEGATIVE_GENERATION, "generation_watermark is " + envelope.getGenerationWatermark());
    }
    checkPayload(envelope, manifest);
    return new EntityEvent(ari, manifest, new EventOrder(envelope.getGenerationWatermark(), envelope.getVersion()),
        envelope.getIsTombstone());
  }

  private static void checkPayload(FacsimileRecord envelope, EntityManifest manifest) throws InvalidEnvelopeException {
    switch (envelope.getPayloadCase()) {
      case ENTITY -> {
        Any entity = envelope.getEntity();
        requireType("the entity's type URL", entity.getTypeUrl(), manifest);
        Message prototype = ContractTypes.defaultInstance(manifest.entity()).orElseThrow();
        try {
          // A payload the sink cannot read must not win last-write-wins.
          prototype.getParserForType().parseFrom(entity.getValue());
        } catch (InvalidProtocolBufferException e) {
          throw new InvalidEnvelopeException(DlqReason.UNDECODABLE, "the entity payload is not a valid " + manifest.entity()
              + ": " + e.getMessage());
        }
      }
      case OFFLOAD_POINTER -> {
        OffloadPointer pointer = envelope.getOffloadPointer();
        requireType("the offload pointer's type_url", pointer.getTypeUrl(), manifest);
        if (pointer.getUri().isBlank()) {
          throw new InvalidEnvelopeException(DlqReason.MISSING_PAYLOAD, "the offload pointer has no uri");
        }
      }
      case PAYLOAD_NOT_SET -> {
        if (!envelope.getIsTombstone()) {
          throw new InvalidEnvelopeException(DlqReason.MISSING_PAYLOAD,
              "a change that is not a tombstone has neither an entity nor an offload pointer");
        }
      }
    }
  }

  private static void requireType(String what, String typeUrl, EntityManifest manifest) throws InvalidEnvelopeException {
    if (typeUrl.indexOf('/') < 0 || !ContractTypes.isTypeUrlOf(typeUrl, manifest.entity())) {
      throw new InvalidEnvelopeException(DlqReason.PAYLOAD_TYPE_MISMATCH, what + " is '" + abbreviate(typeUrl)
          + "' but entity_type " + manifest.entityType() + " is " + manifest.typeUrl());
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
