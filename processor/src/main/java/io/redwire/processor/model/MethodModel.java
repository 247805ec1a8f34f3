package io.redwire.processor.model;

import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.ExecutableType;

/**
 * A method the generated class implements. {@code type} is the method as a member of the interface
 * (type arguments of superinterfaces substituted). Without Redwire annotations it simply delegates.
 */
public record MethodModel(
    ExecutableElement element,
    ExecutableType type,
    List<Param> params,
    ResultShape result,
    CacheSpec cached,
    List<CacheWrite> writes,
    List<RateLimitSpec> rateLimits,
    LockSpec locked,
    HandleSpec handle,
    PublishSpec publishes,
    SubscribeSpec subscribes,
    QueueSpec queued) {

  public String name() {
    return element.getSimpleName().toString();
  }

  public boolean plain() {
    return cached == null && writes.isEmpty() && rateLimits.isEmpty() && locked == null && handle == null
        && publishes == null && subscribes == null && queued == null;
  }
}
