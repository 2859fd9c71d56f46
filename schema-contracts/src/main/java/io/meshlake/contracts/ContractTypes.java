package io.meshlake.contracts;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import io.meshlake.contracts.confluence.v1.ConfluencePage;
import io.meshlake.contracts.confluence.v1.ConfluenceSpace;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.contracts.jira.v1.JiraProject;
import io.meshlake.contracts.jira.v1.JiraUser;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The generated message types of the released contracts, by fully qualified name and Any type URL. */
public final class ContractTypes {

  private static final String TYPE_URL_PREFIX = "type.googleapis.com/";
  private static final Map<String, Message> BY_NAME = new LinkedHashMap<>();

  static {
    for (Message m : new Message[] {
        FacsimileRecord.getDefaultInstance(),
        JiraIssue.getDefaultInstance(),
        JiraProject.getDefaultInstance(),
        JiraUser.getDefaultInstance(),
        ConfluencePage.getDefaultInstance(),
        ConfluenceSpace.getDefaultInstance()}) {
      BY_NAME.put(m.getDescriptorForType().getFullName(), m);
    }
  }

  private ContractTypes() {}

  public static Optional<Message> defaultInstance(String fullName) {
    return Optional.ofNullable(BY_NAME.get(fullName));
  }

  public static Optional<Descriptor> descriptor(String fullName) {
    return defaultInstance(fullName).map(Message::getDescriptorForType);
  }

  public static Collection<Message> all() {
    return BY_NAME.values();
  }

  public static String typeUrl(Descriptor descriptor) {
    return TYPE_URL_PREFIX + descriptor.getFullName();
  }

  /** The message name of a type URL ({@code any-host/pkg.Name} → {@code pkg.Name}). */
  public static String typeName(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
  }

  /**
   * Whether the type URL names this message ({@code typeName(typeUrl).equals(fullName)}) without
   * cutting the name out: the sink and the streams topology ask it of every event.
   */
  public static boolean isTypeUrlOf(String typeUrl, String fullName) {
    int start = typeUrl.lastIndexOf('/') + 1;
    return typeUrl.length() - start == fullName.length() && typeUrl.startsWith(fullName, start);
  }

  /** Unpacks an Any whose type is a released contract; fails with the type URL when it is not. */
  public static Message unpack(Any any) throws InvalidProtocolBufferException {
    Message prototype = BY_NAME.get(typeName(any.getTypeUrl()));
    if (prototype == null) {
      throw new InvalidProtocolBufferException("unknown payload type '" + any.getTypeUrl() + "'");
    }
    return prototype.getParserForType().parseFrom(any.getValue());
  }

  public static TypeRegistry typeRegistry() {
    TypeRegistry.Builder builder = TypeRegistry.newBuilder();
    BY_NAME.values().forEach(m -> builder.add(m.getDescriptorForType()));
    return builder.build();
  }
}
