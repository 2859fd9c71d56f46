package io.meshlake.sink.model;

/** A reason a model does not compile; {@link ModelCompiler} adds the model's name and rethrows it as a ModelException. */
final class CompileError extends RuntimeException {
  CompileError(String message) {
    super(message, null, false, false);
  }
}
