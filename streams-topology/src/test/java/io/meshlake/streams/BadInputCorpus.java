package io.meshlake.streams;

import static io.meshlake.streams.Envelopes.issue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.meshlake.contracts.facsimile.v1.Ari;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.facsimile.v1.OffloadPointer;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.contracts.jira.v1.JiraProject;
import io.meshlake.contracts.wire.ConfluentFrame;
import io.meshlake.contracts.wire.MessageIndexes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bad records for {@code facsimile.jira}, one or more per {@link DlqReason}, each with the reason it must
 * be dead-lettered with. Every case uses its own entity id, so none takes part in another's LWW.
 */
final class BadInputCorpus {

  static final String TOPIC = TopicNames.ingress("jira");

  record Case(String name, DlqReason reason, byte[] key, byte[] value) {}

  private BadInputCorpus() {}

  static List<Case> cases(Envelopes envelopes, String workspace) {
    List<Case> cases = new ArrayList<>();
    int schemaId = envelopes.envelopeSchemaId(TOPIC);
    MessageIndexes envelopeIndexes = MessageIndexes.of(FacsimileRecord.getDescriptor());

    FacsimileRecord valid = issue(workspace, "bad-null", 0, 1).build();
    cases.add(new Case("null value", DlqReason.NULL_VALUE, Envelopes.key(valid), null));

    cases.add(new Case("unknown magic byte", DlqReason.UNDECODABLE, key(workspace, "bad-magic"),
        new byte[] {7, 0, 0, 0, 1, 0, 10, 2}));
    cases.add(new Case("frame too short", DlqReason.UNDECODABLE, key(workspace, "bad-short"), new byte[] {0, 0}));
    cases.add(new Case("payload is not protobuf", DlqReason.UNDECODABLE, key(workspace, "bad-protobuf"),
        ConfluentFrame.encode(schemaId, envelopeIndexes, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff})));
    cases.add(new Case("an entity framed where an envelope belongs", DlqReason.UNDECODABLE, key(workspace, "bad-type"),
        envelopes.encodeUnderRecordName(TOPIC, JiraIssue.newBuilder().setIssueId("bad-type").build())));
    FacsimileRecord garbledEntity = issue(workspace, "bad-entity", 0, 1)
        .setEntity(Any.newBuilder().setTypeUrl(Envelopes.ISSUE.typeUrl()).setValue(ByteString.copyFrom(new byte[] {(byte) 0xff, 1})))
        .build();
    cases.add(ok(envelopes, "entity bytes are not a JiraIssue", DlqReason.UNDECODABLE, garbledEntity));

    cases.add(new Case("schema id not in the registry", DlqReason.UNKNOWN_SCHEMA, key(workspace, "bad-schema"),
        ConfluentFrame.encode(987_654, envelopeIndexes, issue(workspace, "bad-schema", 0, 1).build().toByteArray())));

    FacsimileRecord noAri = issue(workspace, "bad-no-ari", 0, 1).clearResourceAri().build();
    cases.add(new Case("no resource ARI", DlqReason.MISSING_RESOURCE_ARI, key(workspace, "bad-no-ari"),
        envelopes.encode(TOPIC, noAri)));

    FacsimileRecord keyed = issue(workspace, "bad-key", 0, 1).build();
    cases.add(new Case("key is another entity's ARI", DlqReason.KEY_MISMATCH, key(workspace, "other-key"),
        envelopes.encode(TOPIC, keyed)));
    cases.add(new Case("null key", DlqReason.KEY_MISMATCH, null, envelopes.encode(TOPIC, issue(workspace, "bad-null-key", 0, 1).build())));

    cases.add(ok(envelopes, "entity type no manifest declares", DlqReason.UNKNOWN_ENTITY_TYPE,
        issue(workspace, "bad-entity-type", 0, 1).setEntityType(999).build()));
    FacsimileRecord page = Envelopes.page(workspace, "bad-domain", 0, 1).build();
    cases.add(new Case("confluence page on the jira topic", DlqReason.WRONG_DOMAIN, Envelopes.key(page), envelopes.encode(TOPIC, page)));

    cases.add(ok(envelopes, "no workspace", DlqReason.MISSING_WORKSPACE,
        issue(workspace, "bad-no-workspace", 0, 1).clearWorkspaceId().build()));
    cases.add(ok(envelopes, "workspace_id is not a workspace ARI", DlqReason.INVALID_WORKSPACE,
        issue(workspace, "bad-workspace-ari", 0, 1).setWorkspaceId(Ari.newBuilder().setValue(workspace)).build()));
    cases.add(ok(envelopes, "ARI of a project on an issue", DlqReason.INVALID_RESOURCE_ARI,
        issue(workspace, "bad-kind", 0, 1).setResourceAri(Ari.newBuilder().setValue("ari:cloud:jira:" + workspace + ":project/bad-kind")).build()));
    cases.add(ok(envelopes, "ARI is not an ARI", DlqReason.INVALID_RESOURCE_ARI,
        issue(workspace, "bad-ari", 0, 1).setResourceAri(Ari.newBuilder().setValue("issue-bad-ari")).build()));
    cases.add(ok(envelopes, "ARI of another workspace", DlqReason.WORKSPACE_MISMATCH,
        issue("someone-else", "bad-workspace", 0, 1).setWorkspaceId(Ari.newBuilder().setValue("ari:cloud:platform::workspace/" + workspace))
            .build()));

    cases.add(ok(envelopes, "negative version", DlqReason.NEGATIVE_VERSION, issue(workspace, "bad-version", 0, -1).build()));
    cases.add(ok(envelopes, "negative generation", DlqReason.NEGATIVE_GENERATION, issue(workspace, "bad-generation", -1, 1).build()));

    cases.add(ok(envelopes, "a project payload on an issue", DlqReason.PAYLOAD_TYPE_MISMATCH,
        issue(workspace, "bad-payload-type", 0, 1).setEntity(Any.pack(JiraProject.newBuilder().setProjectId("p").build())).build()));
    cases.add(ok(envelopes, "offload pointer to a project", DlqReason.PAYLOAD_TYPE_MISMATCH,
        issue(workspace, "bad-pointer-type", 0, 1).setOffloadPointer(OffloadPointer.newBuilder()
            .setUri("s3://bucket/p").setTypeUrl(Envelopes.PROJECT.typeUrl())).build()));
    cases.add(ok(envelopes, "an upsert without payload", DlqReason.MISSING_PAYLOAD,
        issue(workspace, "bad-no-payload", 0, 1).clearPayload().build()));
    cases.add(ok(envelopes, "offload pointer without uri", DlqReason.MISSING_PAYLOAD,
        issue(workspace, "bad-pointer-uri", 0, 1).setOffloadPointer(OffloadPointer.newBuilder()
            .setTypeUrl(Envelopes.ISSUE.typeUrl())).build()));
    return cases;
  }

  /** A case framed correctly, keyed by its own ARI. */
  private static Case ok(Envelopes envelopes, String name, DlqReason reason, FacsimileRecord record) {
    return new Case(name, reason, Envelopes.key(record), envelopes.encode(TOPIC, record));
  }

  private static byte[] key(String workspace, String id) {
    return ("ari:cloud:jira:" + workspace + ":issue/" + id).getBytes(StandardCharsets.UTF_8);
  }
}
