package io.meshlake.router;

import io.meshlake.contracts.ResourceAris;
import io.meshlake.contracts.facsimile.v1.Ari;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.wire.ConfluentFrame;
import io.meshlake.contracts.wire.MessageIndexes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Ingress events as product services publish them: resource ARI keys and Confluent-framed envelopes. */
final class Envelopes {

  /** Any id: the router never asks a registry. */
  static final int SCHEMA_ID = 42;

  private Envelopes() {}

  static String resourceAri(String domain, String workspace, String id) {
    return "ari:cloud:" + domain + ":" + workspace + ":issue/" + id;
  }

  static byte[] key(String domain, String workspace, String id) {
    return resourceAri(domain, workspace, id).getBytes(StandardCharsets.UTF_8);
  }

  /** The framed envelope of one change of entity {@code id} in {@code workspace}. */
  static byte[] value(String domain, String workspace, String id, long version) {
    return frame(FacsimileRecord.newBuilder()
        .setResourceAri(Ari.newBuilder().setValue(resourceAri(domain, workspace, id)))
        .setWorkspaceId(Ari.newBuilder().setValue(ResourceAris.workspaceAri(workspace)))
        .setEntityType(1)
        .setVersion(version)
        .build());
  }

  static byte[] frame(FacsimileRecord record) {
    return ConfluentFrame.encode(SCHEMA_ID, MessageIndexes.of(FacsimileRecord.getDescriptor()), record.toByteArray());
  }

  /** The workspace named by a framed envelope. */
  static String workspaceOf(byte[] value) {
    try {
      FacsimileRecord record = FacsimileRecord.parseFrom(ConfluentFrame.decode(value).payload());
      return ResourceAris.workspaceOf(record.getWorkspaceId().getValue());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("not an envelope", e);
    }
  }

  static long versionOf(byte[] value) {
    try {
      return FacsimileRecord.parseFrom(ConfluentFrame.decode(value).payload()).getVersion();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("not an envelope", e);
    }
  }

  static byte[] residency(String workspace, String region, long epoch) {
    return ResidencyCodec.encode(new ResidencyRecord(workspace, region, epoch, Instant.parse("2026-11-02T10:15:30Z")));
  }
}
