package io.redwire.processor.model;

/** TEMPORARY placeholder until the codec model lands. */
public interface ValueType {
  String shape();

  long fingerprint();

  record Unsupported(String reason, String path) implements ValueType {
    public String shape() { return "?"; }
    public long fingerprint() { return 0; }
  }

  record Simple(String shape) implements ValueType {
    public long fingerprint() { return shape.hashCode(); }
  }
}
