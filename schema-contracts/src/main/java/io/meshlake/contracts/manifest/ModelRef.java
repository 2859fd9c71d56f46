package io.meshlake.contracts.manifest;

/** A refined model an entity feeds, and how its table is written. */
public record ModelRef(String name, WriterType writer) {}
