package io.redwire.processor.model;

import javax.lang.model.type.TypeMirror;

/**
 * How a method returns its value: directly, in an {@code Optional}, or in a {@code CompletableFuture} /
 * {@code CompletionStage}; {@code value} is the type inside (boxed when the method returns a primitive).
 */
public record ResultShape(Wrapper wrapper, TypeMirror declared, TypeMirror value, boolean primitive) {

  /** The container around the value, if any. */
  public enum Wrapper {
    VOID, PLAIN, OPTIONAL, COMPLETABLE_FUTURE, COMPLETION_STAGE
  }

  /** {@code void}, or a future of {@code Void}: nothing to store. */
  public boolean isVoid() {
    return wrapper == Wrapper.VOID || (async() && value.toString().equals("java.lang.Void"));
  }

  public boolean async() {
    return wrapper == Wrapper.COMPLETABLE_FUTURE || wrapper == Wrapper.COMPLETION_STAGE;
  }
}
