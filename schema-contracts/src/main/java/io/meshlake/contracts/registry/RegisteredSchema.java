package io.meshlake.contracts.registry;

/**
 * A schema the registry knows, with where it was found. {@code subject} and {@code version} are null
 * when the schema was looked up by id only.
 */
public record RegisteredSchema(int id, String subject, Integer version, SchemaText text) {}
