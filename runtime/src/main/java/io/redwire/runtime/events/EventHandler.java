package io.redwire.runtime.events;

/** Handles one event; generated classes adapt a listener method to it. A normal return acknowledges it. */
public interface EventHandler<T> {
  void handle(T event) throws Exception;
}
