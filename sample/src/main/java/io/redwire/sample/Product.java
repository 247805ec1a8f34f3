package io.redwire.sample;

import java.util.List;

/** A catalog entry; stored in Redis by a codec the processor generates. */
public record Product(String sku, String name, Category category, List<String> tags) {

  /** What kind of product. */
  public enum Category {
    BOOKS, GAMES, TOOLS
  }
}
