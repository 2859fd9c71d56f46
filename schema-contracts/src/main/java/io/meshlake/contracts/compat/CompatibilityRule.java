package io.meshlake.contracts.compat;

/**
 * The ways a contract change can break a consumer. Every rule here is breaking: the checker reports
 * nothing for changes it considers compatible (additions, wire-compatible type changes, comments,
 * options, ordering). The README lists the type pairs treated as compatible.
 */
public enum CompatibilityRule {
  /** A .proto file of the baseline is gone (its types go with it; the registry's unit is the file). */
  FILE_REMOVED("a .proto file was removed"),
  /** proto2 ↔ proto3 changes field presence and enum semantics for every field of the file. */
  SYNTAX_CHANGED("the file's syntax (proto2/proto3) changed"),
  /** Renames every type of the file, and so every Any type URL and Confluent record name. */
  PACKAGE_CHANGED("the file's package was renamed"),
  /** A message disappeared from its file (deleted, moved to another file, or replaced by an enum). */
  MESSAGE_REMOVED("a message was removed"),
  /** A message has a new name but the same fields: readers resolve types by full name. */
  MESSAGE_RENAMED("a message was renamed"),
  /** An enum disappeared from its file. */
  ENUM_REMOVED("an enum was removed"),
  /** An enum has a new name but the same values. */
  ENUM_RENAMED("an enum was renamed"),
  /** A field is gone and its number and name are not both reserved, so they can be reused. */
  FIELD_REMOVED_NOT_RESERVED("a field was removed without reserving its number and name"),
  /** Same number and type, new name: JSON, generated code and table columns use the name. */
  FIELD_RENAMED("a field was renamed"),
  /** Same name, new number: data written under the old number is no longer read into it. */
  FIELD_RENUMBERED("a field kept its name but changed its number"),
  /** A different field (other name and other type) now uses an existing number. */
  FIELD_NUMBER_REUSED("a field number was reused by another field"),
  /** Same number and name, wire-incompatible type. */
  FIELD_TYPE_CHANGED("a field's type changed incompatibly"),
  /** singular ↔ repeated, or explicit presence ({@code optional}/{@code required}) added or removed. */
  FIELD_CARDINALITY_CHANGED("a field's cardinality changed"),
  /** A field moved into, out of, or between oneofs. */
  FIELD_ONEOF_CHANGED("a field moved into, out of, or between oneofs"),
  /** An enum value is gone and its number and name are not both reserved. */
  ENUM_VALUE_REMOVED("an enum value was removed without reserving its number and name"),
  /** Same number, new name: JSON and stored enum names change. */
  ENUM_VALUE_RENAMED("an enum value was renamed"),
  /** Same name, new number. */
  ENUM_VALUE_RENUMBERED("an enum value was renumbered"),
  /** A reserved field or enum number/name of the baseline is no longer reserved. */
  RESERVATION_DROPPED("a reserved number or name is no longer reserved"),
  /** An entity uses an entity_type id that belonged to another entity in the baseline. */
  ENTITY_TYPE_REUSED("an entity_type id was reused by another entity"),
  /** An entity's entity_type id changed. */
  ENTITY_TYPE_CHANGED("an entity's entity_type id changed"),
  /** An entity manifest of the baseline is gone. */
  ENTITY_REMOVED("an entity manifest was removed");

  private final String summary;

  CompatibilityRule(String summary) {
    this.summary = summary;
  }

  /** One line saying what the rule forbids. */
  public String summary() {
    return summary;
  }
}
