package io.meshlake.contracts.compat;

import static io.meshlake.contracts.compat.CompatibilityRule.ENUM_REMOVED;
import static io.meshlake.contracts.compat.CompatibilityRule.ENUM_RENAMED;
import static io.meshlake.contracts.compat.CompatibilityRule.ENUM_VALUE_REMOVED;
import static io.meshlake.contracts.compat.CompatibilityRule.ENUM_VALUE_RENAMED;
import static io.meshlake.contracts.compat.CompatibilityRule.ENUM_VALUE_RENUMBERED;
import static io.meshlake.contracts.compat.CompatibilityRule.FIELD_CARDINALITY_CHANGED;
import static io.meshlake.contracts.compat.CompatibilityRule.FIELD_NUMBER_REUSED;
import static io.meshlake.contracts.compat.CompatibilityRule.FIELD_ONEOF_CHANGED;
import static io.meshlake.contracts.compat.CompatibilityRule.FIELD_REMOVED_NOT_RESERVED;
import static io.meshlake.contracts.compat.CompatibilityRule.FIELD_RENAMED;
import static io.meshlake.contracts.compat.CompatibilityRule.FIELD_RENUMBERED;
import static io.meshlake.contracts.compat.CompatibilityRule.FIELD_TYPE_CHANGED;
import static io.meshlake.contracts.compat.CompatibilityRule.FILE_REMOVED;
import static io.meshlake.contracts.compat.CompatibilityRule.MESSAGE_REMOVED;
import static io.meshlake.contracts.compat.CompatibilityRule.MESSAGE_RENAMED;
import static io.meshlake.contracts.compat.CompatibilityRule.PACKAGE_CHANGED;
import static io.meshlake.contracts.compat.CompatibilityRule.RESERVATION_DROPPED;
import static io.meshlake.contracts.compat.CompatibilityRule.SYNTAX_CHANGED;

import com.squareup.wire.schema.EnumConstant;
import com.squareup.wire.schema.EnumType;
import com.squareup.wire.schema.Field;
import com.squareup.wire.schema.MessageType;
import com.squareup.wire.schema.OneOf;
import com.squareup.wire.schema.ProtoFile;
import com.squareup.wire.schema.ProtoType;
import com.squareup.wire.schema.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The expand-contract checker: compares the released contracts ({@code previous}) with a proposed
 * version ({@code next}) and reports every change that would break a producer or consumer already
 * deployed. Additions (files, messages, enums, fields, enum values, reservations) pass.
 *
 * <p>How elements are matched: files by import path; messages and enums by full name within their
 * file, where a package rename maps {@code old.pkg.X} to {@code new.pkg.X} and a message or enum that
 * vanished while exactly one new one with the same members appeared in the same scope is taken as
 * renamed; fields by number, enum values by name then number. Renames found this way are reported
 * once, and field types referring to a renamed type are compared through the rename, so one rename
 * does not also surface as type changes everywhere it is used.
 *
 * <p>Not compared: options (including java_package, json_name, packed, deprecated), default values,
 * services, and extensions; none of them changes how the bytes of an event decode.
 */
public final class CompatibilityChecker {

  /** Checks the .proto files only. */
  public CompatibilityReport check(ProtoSchemaSet previous, ProtoSchemaSet next) {
    return check(previous, ManifestSet.empty(), next, ManifestSet.empty());
  }

  /** Checks the .proto files and the entity manifests (entity_type ids) together. */
  public CompatibilityReport check(
      ProtoSchemaSet previous, ManifestSet previousManifests, ProtoSchemaSet next, ManifestSet nextManifests) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(previousManifests, "previousManifests (use ManifestSet.empty())");
    Objects.requireNonNull(nextManifests, "nextManifests (use ManifestSet.empty())");
    requireEntitiesDeclared("previous", previous, previousManifests);
    requireEntitiesDeclared("next", next, nextManifests);
    Comparison comparison = new Comparison(previous, next);
    comparison.run();
    List<BreakingChange> changes = new ArrayList<>(comparison.changes);
    changes.addAll(
        ManifestCompatibility.check(
            previousManifests, nextManifests, name -> comparison.renamed.getOrDefault(name, name)));
    // Stable sort: per file, in the order found (declaration order, then field number).
    changes.sort(Comparator.comparing(BreakingChange::file));
    return new CompatibilityReport(changes);
  }

  /** A manifest naming a message that does not exist would make the entity rules meaningless. */
  private static void requireEntitiesDeclared(String side, ProtoSchemaSet protos, ManifestSet manifests) {
    for (ManifestSet.Entry entry : manifests.entries()) {
      boolean declared =
          protos.fileDeclaring(entry.entity()).isPresent() && protos.schema().getType(entry.entity()) instanceof MessageType;
      if (!declared) {
        throw new InvalidSchemaException(
            entry.file(), -1,
            entry.file() + ": entity " + entry.entity() + " is not a message of the " + side + " .proto files");
      }
    }
  }

  /** The state of one comparison: the type renames found, then the changes. */
  private static final class Comparison {
    private final ProtoSchemaSet previous;
    private final ProtoSchemaSet next;
    /** previous full type name → next full type name, for every matched type whose name changed. */
    private final Map<String, String> renamed = new HashMap<>();
    private final List<MatchedType> matched = new ArrayList<>();
    private final List<BreakingChange> changes = new ArrayList<>();

    Comparison(ProtoSchemaSet previous, ProtoSchemaSet next) {
      this.previous = previous;
      this.next = next;
    }

    void run() {
      // Match everything first, so field types can be compared through renames found anywhere.
      for (String file : previous.files()) {
        if (!next.contains(file)) {
          fileRemoved(file);
          continue;
        }
        compareFileHeader(file);
        ProtoFile before = previous.protoFile(file);
        ProtoFile after = next.protoFile(file);
        matchScope(file, before.getTypes(), after.getTypes(), prefix(next.packageName(file)));
      }
      for (MatchedType pair : matched) {
        if (pair.before instanceof MessageType before && pair.after instanceof MessageType after) {
          compareMessages(pair.file, before, after);
        } else if (pair.before instanceof EnumType before && pair.after instanceof EnumType after) {
          compareEnums(pair.file, before, after);
        }
      }
    }

    private void fileRemoved(String file) {
      String declared =
          previous.protoFile(file).getTypes().stream().map(t -> t.getType().toString()).collect(Collectors.joining(", "));
      report(FILE_REMOVED, file, null, null,
          file + ": file removed" + (declared.isEmpty() ? "" : " (it declared " + declared + ")"));
    }

    private void compareFileHeader(String file) {
      if (!previous.syntax(file).equals(next.syntax(file))) {
        report(SYNTAX_CHANGED, file, null, null,
            file + ": syntax changed from " + previous.syntax(file) + " to " + next.syntax(file));
      }
      String before = previous.packageName(file);
      String after = next.packageName(file);
      if (!before.equals(after)) {
        report(PACKAGE_CHANGED, file, null, null,
            file + ": package changed from " + display(before) + " to " + display(after)
                + " (every type of the file gets a new full name)");
      }
    }

    /** Pairs the types of one scope (a file's top level, or one message's nested types). */
    private void matchScope(String file, List<Type> befores, List<Type> afters, String afterPrefix) {
      Map<Type, Boolean> claimed = new IdentityHashMap<>();
      List<Type> unmatched = new ArrayList<>();
      for (Type before : befores) {
        String expected = afterPrefix + before.getType().getSimpleName();
        Type after = afters.stream().filter(t -> t.getType().toString().equals(expected)).findFirst().orElse(null);
        if (after != null && sameKind(before, after)) {
          claimed.put(after, true);
          pair(file, before, after);
        } else {
          unmatched.add(before);
        }
      }
      for (Type before : unmatched) {
        List<Type> candidates =
            afters.stream()
                .filter(t -> !claimed.containsKey(t))
                .filter(t -> sameKind(before, t))
                .filter(t -> sameMembers(before, t))
                .toList();
        if (candidates.size() == 1) {
          Type after = candidates.get(0);
          claimed.put(after, true);
          CompatibilityRule rule = before instanceof EnumType ? ENUM_RENAMED : MESSAGE_RENAMED;
          report(rule, file, before.getType().toString(), null,
              file + ": " + kind(before) + " " + before.getType() + ": renamed to " + after.getType());
          pair(file, before, after);
        } else {
          typeRemoved(file, before, afterPrefix + before.getType().getSimpleName());
        }
      }
    }

    private void typeRemoved(String file, Type before, String expectedName) {
      CompatibilityRule rule = before instanceof EnumType ? ENUM_REMOVED : MESSAGE_REMOVED;
      String where =
          next.fileDeclaring(expectedName)
              .map(other -> {
                Type sameName = next.schema().getType(expectedName);
                if (sameName != null && !sameKind(before, sameName)) {
                  return " (" + expectedName + " is now " + article(kind(sameName)) + ")";
                }
                return other.equals(file) ? "" : " (moved to " + other + ")";
              })
              .orElse("");
      report(rule, file, before.getType().toString(), null,
          file + ": " + kind(before) + " " + before.getType() + ": removed" + where);
    }

    private void pair(String file, Type before, Type after) {
      String beforeName = before.getType().toString();
      String afterName = after.getType().toString();
      if (!beforeName.equals(afterName)) {
        renamed.put(beforeName, afterName);
      }
      matched.add(new MatchedType(file, before, after));
      matchScope(file, before.getNestedTypes(), after.getNestedTypes(), afterName + ".");
    }

    private void compareMessages(String file, MessageType before, MessageType after) {
      String where = file + ": message " + after.getType();
      String beforePackage = previous.packageName(file);
      String afterPackage = next.packageName(file);
      Reservations afterReserved = Reservations.of(after.toElement().getReserveds());
      Map<Integer, String> beforeOneOfs = oneOfByTag(before);
      Map<Integer, String> afterOneOfs = oneOfByTag(after);

      List<Field> beforeFields = new ArrayList<>(before.getFieldsAndOneOfFields());
      beforeFields.sort(Comparator.comparingInt(Field::getTag));
      for (Field old : beforeFields) {
        String fieldWhere = where + " field " + old.getTag() + " '" + old.getName() + "'";
        Field now = field(after, old.getTag());
        if (now == null) {
          Field sameName = field(after, old.getName());
          if (sameName != null) {
            reportOn(FIELD_RENUMBERED, file, after, old.getName(),
                fieldWhere + ": number changed from " + old.getTag() + " to " + sameName.getTag());
            continue;
          }
          List<String> missing = new ArrayList<>();
          if (!afterReserved.coversNumber(old.getTag())) {
            missing.add("reserved " + old.getTag() + ";");
          }
          if (!afterReserved.coversName(old.getName())) {
            missing.add("reserved \"" + old.getName() + "\";");
          }
          if (!missing.isEmpty()) {
            reportOn(FIELD_REMOVED_NOT_RESERVED, file, after, old.getName(),
                fieldWhere + ": removed without reserving it (add " + String.join(" ", missing) + ")");
          }
          continue;
        }
        TypeRef oldType = typeRef(old.getType(), previous, true);
        TypeRef newType = typeRef(now.getType(), next, false);
        boolean typeCompatible = compatible(oldType, newType);
        boolean sameCardinality = cardinality(old) == cardinality(now);
        if (!old.getName().equals(now.getName())) {
          if (typeCompatible && sameCardinality) {
            reportOn(FIELD_RENAMED, file, after, old.getName(),
                fieldWhere + ": renamed to '" + now.getName() + "'");
          } else {
            reportOn(FIELD_NUMBER_REUSED, file, after, old.getName(),
                fieldWhere + ": number reused by " + cardinality(now).keyword()
                    + newType.displayIn(afterPackage) + " '" + now.getName() + "' (was "
                    + cardinality(old).keyword() + oldType.displayIn(beforePackage) + ")");
            continue;
          }
        } else if (!typeCompatible) {
          String from = oldType.displayIn(beforePackage);
          String to = newType.displayIn(afterPackage);
          if (from.equals(to)) { // same name, other kind: say which
            from = oldType.kindName() + " " + from;
            to = newType.kindName() + " " + to;
          }
          reportOn(FIELD_TYPE_CHANGED, file, after, old.getName(), fieldWhere + ": type changed from " + from + " to " + to);
        }
        String oldOneOf = beforeOneOfs.get(old.getTag());
        String newOneOf = afterOneOfs.get(now.getTag());
        if (!Objects.equals(oldOneOf, newOneOf)) {
          reportOn(FIELD_ONEOF_CHANGED, file, after, old.getName(),
              fieldWhere + ": " + oneOfMove(oldOneOf, newOneOf));
        } else if (!sameCardinality) {
          reportOn(FIELD_CARDINALITY_CHANGED, file, after, old.getName(),
              fieldWhere + ": cardinality changed from " + cardinality(old).description() + " to "
                  + cardinality(now).description());
        }
      }

      Reservations beforeReserved = Reservations.of(before.toElement().getReserveds());
      for (Reservations.Range range : beforeReserved.ranges()) {
        if (!afterReserved.coversRange(range)) {
          String usedBy =
              after.getFieldsAndOneOfFields().stream()
                  .filter(f -> range.contains(f.getTag()))
                  .map(f -> f.getTag() + " '" + f.getName() + "'")
                  .collect(Collectors.joining(", "));
          reportOn(RESERVATION_DROPPED, file, after, null,
              where + ": reserved " + range + " is no longer reserved"
                  + (usedBy.isEmpty() ? "" : " (now used by field " + usedBy + ")"));
        }
      }
      for (String name : beforeReserved.names()) {
        if (!afterReserved.coversName(name)) {
          Field user = field(after, name);
          reportOn(RESERVATION_DROPPED, file, after, name,
              where + ": reserved name \"" + name + "\" is no longer reserved"
                  + (user == null ? "" : " (now used by field " + user.getTag() + ")"));
        }
      }
    }

    private void compareEnums(String file, EnumType before, EnumType after) {
      String where = file + ": enum " + after.getType();
      Reservations afterReserved = Reservations.of(after.toElement().getReserveds());
      for (EnumConstant old : before.getConstants()) {
        String valueWhere = where + " value " + old.getTag() + " '" + old.getName() + "'";
        EnumConstant sameName = after.constant(old.getName());
        if (sameName != null) {
          if (sameName.getTag() != old.getTag()) {
            reportOn(ENUM_VALUE_RENUMBERED, file, after, old.getName(),
                valueWhere + ": number changed from " + old.getTag() + " to " + sameName.getTag());
          }
          continue;
        }
        EnumConstant sameNumber = after.constant(old.getTag());
        if (sameNumber != null && before.constant(sameNumber.getName()) == null) {
          reportOn(ENUM_VALUE_RENAMED, file, after, old.getName(),
              valueWhere + ": renamed to '" + sameNumber.getName() + "'");
          continue;
        }
        List<String> missing = new ArrayList<>();
        // An alias still holding the number keeps old data decodable; only the name must be reserved.
        if (sameNumber == null && !afterReserved.coversNumber(old.getTag())) {
          missing.add("reserved " + old.getTag() + ";");
        }
        if (!afterReserved.coversName(old.getName())) {
          missing.add("reserved \"" + old.getName() + "\";");
        }
        if (!missing.isEmpty()) {
          reportOn(ENUM_VALUE_REMOVED, file, after, old.getName(),
              valueWhere + ": removed without reserving it (add " + String.join(" ", missing) + ")");
        }
      }
      Reservations beforeReserved = Reservations.of(before.toElement().getReserveds());
      for (Reservations.Range range : beforeReserved.ranges()) {
        if (!afterReserved.coversRange(range)) {
          String usedBy =
              after.getConstants().stream()
                  .filter(c -> range.contains(c.getTag()))
                  .map(c -> c.getTag() + " '" + c.getName() + "'")
                  .collect(Collectors.joining(", "));
          reportOn(RESERVATION_DROPPED, file, after, null,
              where + ": reserved " + range + " is no longer reserved"
                  + (usedBy.isEmpty() ? "" : " (now used by value " + usedBy + ")"));
        }
      }
      for (String name : beforeReserved.names()) {
        if (!afterReserved.coversName(name)) {
          reportOn(RESERVATION_DROPPED, file, after, name,
              where + ": reserved name \"" + name + "\" is no longer reserved"
                  + (after.constant(name) == null ? "" : " (now used by a value)"));
        }
      }
    }

    private TypeRef typeRef(ProtoType type, ProtoSchemaSet set, boolean beforeSide) {
      if (type.isScalar()) {
        return new TypeRef(TypeKind.SCALAR, type.toString(), null, null);
      }
      if (type.isMap()) {
        return new TypeRef(
            TypeKind.MAP, null, typeRef(type.getKeyType(), set, beforeSide), typeRef(type.getValueType(), set, beforeSide));
      }
      String name = type.toString();
      Type declared = set.schema().getType(type);
      TypeKind kind = declared instanceof EnumType ? TypeKind.ENUM : TypeKind.MESSAGE;
      // Compare the previous side in the next side's names, so renames reported once don't cascade.
      return new TypeRef(kind, beforeSide ? renamed.getOrDefault(name, name) : name, null, null);
    }

    private void report(CompatibilityRule rule, String file, String typeName, String member, String description) {
      changes.add(new BreakingChange(rule, file, typeName, member, description));
    }

    private void reportOn(CompatibilityRule rule, String file, Type type, String member, String description) {
      report(rule, file, type.getType().toString(), member, description);
    }
  }

  private record MatchedType(String file, Type before, Type after) {}

  private enum TypeKind { SCALAR, ENUM, MESSAGE, MAP }

  /** A field type reduced to what compatibility depends on. */
  private record TypeRef(TypeKind kind, String name, TypeRef key, TypeRef value) {
    String kindName() {
      return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    String displayIn(String pkg) {
      if (kind == TypeKind.MAP) {
        return "map<" + key.displayIn(pkg) + ", " + value.displayIn(pkg) + ">";
      }
      if (kind != TypeKind.SCALAR && !pkg.isEmpty() && name.startsWith(pkg + ".")) {
        return name.substring(pkg.length() + 1);
      }
      return name;
    }
  }

  private static boolean compatible(TypeRef before, TypeRef after) {
    if (before.kind() != after.kind()) {
      return false;
    }
    return switch (before.kind()) {
      case SCALAR -> WireTypeCompatibility.scalarsCompatible(before.name(), after.name());
      case ENUM, MESSAGE -> before.name().equals(after.name());
      case MAP -> compatible(before.key(), after.key()) && compatible(before.value(), after.value());
    };
  }

  /** How many values a field holds and whether its presence is tracked. */
  private enum Cardinality {
    SINGULAR("singular", ""),
    OPTIONAL("optional", "optional "),
    REQUIRED("required", "required "),
    REPEATED("repeated", "repeated ");

    private final String description;
    private final String keyword;

    Cardinality(String description, String keyword) {
      this.description = description;
      this.keyword = keyword;
    }

    String description() {
      return description;
    }

    String keyword() {
      return keyword;
    }
  }

  private static Cardinality cardinality(Field field) {
    if (field.getType().isMap()) {
      return Cardinality.REPEATED; // a map is a repeated entry message on the wire
    }
    Field.Label label = field.getLabel();
    if (label == null || label == Field.Label.ONE_OF) {
      return Cardinality.SINGULAR;
    }
    return switch (label) {
      case OPTIONAL -> Cardinality.OPTIONAL;
      case REQUIRED -> Cardinality.REQUIRED;
      case REPEATED -> Cardinality.REPEATED;
      default -> Cardinality.SINGULAR;
    };
  }

  // MessageType.field(int) skips oneof members; these look at every declared field.
  private static Field field(MessageType message, int tag) {
    return message.getFieldsAndOneOfFields().stream().filter(f -> f.getTag() == tag).findFirst().orElse(null);
  }

  private static Field field(MessageType message, String name) {
    return message.getFieldsAndOneOfFields().stream().filter(f -> f.getName().equals(name)).findFirst().orElse(null);
  }

  private static Map<Integer, String> oneOfByTag(MessageType message) {
    Map<Integer, String> byTag = new HashMap<>();
    for (OneOf oneOf : message.getOneOfs()) {
      for (Field field : oneOf.getFields()) {
        byTag.put(field.getTag(), oneOf.getName());
      }
    }
    return byTag;
  }

  private static String oneOfMove(String before, String after) {
    if (before == null) {
      return "moved into oneof " + after;
    }
    if (after == null) {
      return "moved out of oneof " + before;
    }
    return "moved from oneof " + before + " to oneof " + after;
  }

  private static boolean sameKind(Type a, Type b) {
    return (a instanceof EnumType) == (b instanceof EnumType);
  }

  /** Whether two types declare the same members: the evidence for a rename. */
  private static boolean sameMembers(Type a, Type b) {
    if (a instanceof EnumType ea && b instanceof EnumType eb) {
      return constants(ea).equals(constants(eb));
    }
    if (a instanceof MessageType ma && b instanceof MessageType mb) {
      return fields(ma).equals(fields(mb)) && nestedNames(ma).equals(nestedNames(mb));
    }
    return false;
  }

  private static Set<String> constants(EnumType type) {
    return type.getConstants().stream().map(c -> c.getTag() + " " + c.getName()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> fields(MessageType type) {
    return type.getFieldsAndOneOfFields().stream().map(f -> f.getTag() + " " + f.getName()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> nestedNames(MessageType type) {
    return type.getNestedTypes().stream().map(t -> t.getType().getSimpleName()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static String kind(Type type) {
    return type instanceof EnumType ? "enum" : "message";
  }

  private static String article(String kind) {
    return (kind.startsWith("e") ? "an " : "a ") + kind;
  }

  private static String prefix(String pkg) {
    return pkg.isEmpty() ? "" : pkg + ".";
  }

  private static String display(String pkg) {
    return pkg.isEmpty() ? "(no package)" : pkg;
  }
}
