package io.meshlake.contracts.wire;

import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.internal.parser.MessageElement;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.ProtoParser;
import com.squareup.wire.schema.internal.parser.TypeElement;
import java.util.List;

/**
 * Finds the fully qualified name of the message that a frame's message indexes point at, in the
 * .proto text the registry holds for the frame's schema id.
 */
final class RegisteredMessageNames {

  private RegisteredMessageNames() {}

  static String resolve(int schemaId, String protoText, MessageIndexes indexes) {
    ProtoFileElement file;
    try {
      file = ProtoParser.Companion.parse(Location.get("schema-id-" + schemaId + ".proto"), protoText);
    } catch (RuntimeException e) {
      throw new WireFormatException("schema id " + schemaId + " is not a parseable .proto: " + e.getMessage(), e);
    }
    StringBuilder name = new StringBuilder(file.getPackageName() == null ? "" : file.getPackageName());
    List<TypeElement> level = file.getTypes();
    for (int index : indexes.path()) {
      List<TypeElement> messages = level.stream().filter(t -> t instanceof MessageElement).toList();
      if (index >= messages.size()) {
        throw new WireFormatException("message indexes " + indexes + " point past the messages of schema id " + schemaId);
      }
      TypeElement message = messages.get(index);
      if (name.length() > 0) {
        name.append('.');
      }
      name.append(message.getName());
      level = message.getNestedTypes();
    }
    return name.toString();
  }
}
