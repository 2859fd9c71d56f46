package io.meshlake.streams;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.meshlake.contracts.ResourceAris;
import io.meshlake.contracts.confluence.v1.ConfluencePage;
import io.meshlake.contracts.facsimile.v1.Ari;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.contracts.jira.v1.JiraProject;
import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.wire.ProtobufEncoder;
import java.nio.charset.StandardCharsets;

/** Builds envelopes of the released contracts and frames them against a real registry, as a publisher would. */
final class Envelopes {

  static final EntityCatalog CATALOG = EntityCatalog.load();
  static final EntityManifest ISSUE = CATALOG.byEntity("meshlake.jira.v1.JiraIssue").orElseThrow();
  static final EntityManifest PROJECT = CATALOG.byEntity("meshlake.jira.v1.JiraProject").orElseThrow();
  static final EntityManifest PAGE = CATALOG.byEntity("meshlake.confluence.v1.ConfluencePage").orElseThrow();

  private final ProtobufEncoder encoder;
  private final ProtobufEncoder recordNamedEncoder;

  Envelopes(String registryUrl) {
    SchemaRegistryClient registry = new SchemaRegistryClient(registryUrl);
    this.encoder = new ProtobufEncoder(registry);
    this.recordNamedEncoder = new ProtobufEncoder(registry, ProtobufEncoder.SubjectNameStrategy.RECORD, true, false);
  }

  /** The registered id of the envelope schema of the topic. */
  int envelopeSchemaId(String topic) {
    return encoder.schemaId(topic, FacsimileRecord.getDescriptor());
  }

  /** Frames any message under its own name's subject (not the topic's), e.g. an entity sent where an envelope belongs. */
  byte[] encodeUnderRecordName(String topic, Message message) {
    return recordNamedEncoder.encode(topic, message);
  }

  /** Confluent-framed bytes of the envelope, its schema registered under {@code <topic>-value}. */
  byte[] encode(String topic, Message record) {
    return encoder.encode(topic, record);
  }

  static FacsimileRecord.Builder issue(String workspace, String id, long generation, long version) {
    return envelope(ISSUE, workspace, id, generation, version,
        JiraIssue.newBuilder().setIssueId(id).setSummary("g" + generation + " v" + version).addLabels("l" + version).build());
  }

  static FacsimileRecord.Builder project(String workspace, String id, long generation, long version) {
    return envelope(PROJECT, workspace, id, generation, version,
        JiraProject.newBuilder().setProjectId(id).setName("g" + generation + " v" + version).build());
  }

  static FacsimileRecord.Builder page(String workspace, String id, long generation, long version) {
    return envelope(PAGE, workspace, id, generation, version,
        ConfluencePage.newBuilder().setPageId(id).setTitle("g" + generation + " v" + version).build());
  }

  static FacsimileRecord.Builder envelope(EntityManifest manifest, String workspace, String id, long generation, long version,
      Message entity) {
    return FacsimileRecord.newBuilder()
        .setResourceAri(Ari.newBuilder().setValue(ResourceAris.resourceAri(manifest, workspace, id)))
        .setEntityType(manifest.entityType())
        .setWorkspaceId(Ari.newBuilder().setValue(ResourceAris.workspaceAri(workspace)))
        .setVersion(version)
        .setGenerationWatermark(generation)
        .setEntity(Any.pack(entity));
  }

  static byte[] key(FacsimileRecord record) {
    return record.getResourceAri().getValue().getBytes(StandardCharsets.UTF_8);
  }

  static String domainOf(FacsimileRecord record) {
    return CATALOG.byEntityType(record.getEntityType()).orElseThrow().domain();
  }
}
