package io.redwire.runtime.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import org.junit.jupiter.api.Test;

/** The list {@link Codecs#list} decodes behaves as the {@code Collections.unmodifiableList} it replaced. */
class ElementListTest {

  private static List<String> decoded(List<String> list) {
    Codec<List<String>> codec = Codecs.list(Codecs.STRING);
    Output out = new Output(16);
    codec.write(out, list);
    return codec.read(new Input(out.toByteArray()));
  }

  @Test
  void readsLikeAList() {
    List<String> expected = Arrays.asList("a", null, "b", "a");
    List<String> list = decoded(expected);
    assertTrue(list instanceof RandomAccess);
    assertEquals(4, list.size());
    assertFalse(list.isEmpty());
    assertEquals("b", list.get(2));
    assertThrows(IndexOutOfBoundsException.class, () -> list.get(4));
    assertEquals(0, list.indexOf("a"));
    assertEquals(3, list.lastIndexOf("a"));
    assertEquals(1, list.indexOf(null));
    assertEquals(-1, list.indexOf("z"));
    assertTrue(list.contains(null));
    assertEquals(expected, list);
    assertEquals(list, expected);
    assertEquals(list, new LinkedList<>(expected));
    assertEquals(new LinkedList<>(expected), list);
    assertNotEquals(list, List.of("a"));
    assertNotEquals(list, new LinkedList<>(List.of("a")));
    assertEquals(expected.hashCode(), list.hashCode());
    assertEquals(expected.toString(), list.toString());
    assertArrayEquals(expected.toArray(), list.toArray());
    assertArrayEquals(expected.toArray(new String[0]), list.toArray(new String[0]));
    assertEquals(Arrays.asList(null, "b"), list.subList(1, 3));
    assertEquals(expected, new ArrayList<>(list));
    List<String> seen = new ArrayList<>();
    list.forEach(seen::add);
    assertEquals(expected, seen);
    assertTrue(decoded(List.of()).isEmpty());
    assertEquals(List.of(), decoded(List.of()));
  }

  @Test
  void iteratesBothWays() {
    List<String> list = decoded(List.of("x", "y"));
    Iterator<String> it = list.iterator();
    assertEquals("x", it.next());
    assertEquals("y", it.next());
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
    ListIterator<String> back = list.listIterator(2);
    assertEquals(1, back.previousIndex());
    assertEquals("y", back.previous());
    assertEquals("x", back.previous());
    assertFalse(back.hasPrevious());
    assertThrows(NoSuchElementException.class, back::previous);
    assertThrows(IndexOutOfBoundsException.class, () -> list.listIterator(3));
    assertThrows(UnsupportedOperationException.class, back::remove);
    assertThrows(UnsupportedOperationException.class, () -> back.set("z"));
    assertThrows(UnsupportedOperationException.class, () -> back.add("z"));
  }

  @Test
  void refusesEveryChangeEvenAnEmptyOne() {
    for (List<String> list : List.of(decoded(List.of("a")), decoded(List.of()))) {
      assertThrows(UnsupportedOperationException.class, () -> list.add("x"));
      assertThrows(UnsupportedOperationException.class, () -> list.add(0, "x"));
      assertThrows(UnsupportedOperationException.class, () -> list.remove("a"));
      assertThrows(UnsupportedOperationException.class, () -> list.addAll(List.of()));
      assertThrows(UnsupportedOperationException.class, () -> list.addAll(0, List.of()));
      assertThrows(UnsupportedOperationException.class, () -> list.removeAll(List.of()));
      assertThrows(UnsupportedOperationException.class, () -> list.retainAll(List.of()));
      assertThrows(UnsupportedOperationException.class, () -> list.removeIf(s -> false));
      assertThrows(UnsupportedOperationException.class, () -> list.replaceAll(s -> s));
      assertThrows(UnsupportedOperationException.class, () -> list.sort(null));
      assertThrows(UnsupportedOperationException.class, list::clear);
      assertThrows(UnsupportedOperationException.class, () -> list.subList(0, 0).clear());
    }
    List<String> one = decoded(List.of("a"));
    assertThrows(UnsupportedOperationException.class, () -> one.set(0, "x"));
    assertThrows(UnsupportedOperationException.class, () -> one.remove(0));
  }

  @Test
  void serializesAsAnUnmodifiableList() throws Exception {
    List<String> list = decoded(Arrays.asList("a", null));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(list);
    }
    Object back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = in.readObject();
    }
    assertEquals(list, back);
    assertEquals(Collections.unmodifiableList(new ArrayList<>()).getClass(), back.getClass());
  }
}
