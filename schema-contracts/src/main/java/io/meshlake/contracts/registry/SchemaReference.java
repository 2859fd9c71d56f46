package io.meshlake.contracts.registry;

/** An import of one schema by another: the import path, and the subject/version where that file is registered. */
public record SchemaReference(String name, String subject, int version) {}
