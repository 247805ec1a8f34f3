package golden;

import io.redwire.Cached;
import java.util.List;

public interface Shapes<T> {

  sealed interface Shape permits Circle, Square {}

  record Circle(double radius) implements Shape {}

  record Square(double side) implements Shape {}

  record Node(String name, List<Node> children) {}

  @Cached(ttl = "1d", key = "{name}")
  Shape shape(String name);

  @Cached(ttl = "250ms", name = "tree")
  Node tree(String root, boolean deep);

  T passThrough(T value);
}
