package io.redwire.runtime.codec;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The unmodifiable list {@link Codecs#list} decodes: the decoded array behind one 16-byte object,
 * where {@code Collections.unmodifiableList(Arrays.asList(array))} takes two (48 bytes), so a cache hit
 * of a value holding a list allocates less. Elements may be null. Every mutator throws
 * {@link UnsupportedOperationException}, even one that would change nothing, as
 * {@code Collections.unmodifiableList} does; equality, hash code and {@code toString} follow
 * {@link List}. It extends {@link AbstractCollection} rather than {@code AbstractList}, whose
 * {@code modCount} field would make it 24 bytes. It serializes as the
 * {@code Collections.unmodifiableList(Arrays.asList(..))} it replaces, so the serialized form is
 * unchanged.
 */
final class ElementList<E> extends AbstractCollection<E> implements List<E>, RandomAccess, Serializable {

  private static final long serialVersionUID = 1L;

  /** Owned: filled by the decoder, never written after, never handed out. */
  private final Object[] elements;

  ElementList(Object[] elements) {
    this.elements = elements;
  }

  @Override
  @SuppressWarnings("unchecked")
  public E get(int index) {
    return (E) elements[index];
  }

  @Override
  public int size() {
    return elements.length;
  }

  @Override
  public boolean isEmpty() {
    return elements.length == 0;
  }

  @Override
  public boolean contains(Object o) {
    return indexOf(o) >= 0;
  }

  @Override
  public int indexOf(Object o) {
    for (int i = 0; i < elements.length; i++) {
      if (Objects.equals(o, elements[i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int lastIndexOf(Object o) {
    for (int i = elements.length - 1; i >= 0; i--) {
      if (Objects.equals(o, elements[i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Object[] toArray() {
    return Arrays.copyOf(elements, elements.length, Object[].class);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void forEach(Consumer<? super E> action) {
    Objects.requireNonNull(action);
    for (Object e : elements) {
      action.accept((E) e);
    }
  }

  @Override
  public Iterator<E> iterator() {
    return new Cursor(0);
  }

  @Override
  public ListIterator<E> listIterator() {
    return new Cursor(0);
  }

  @Override
  public ListIterator<E> listIterator(int index) {
    if (index < 0 || index > elements.length) {
      throw new IndexOutOfBoundsException("Index: " + index + ", Size: " + elements.length);
    }
    return new Cursor(index);
  }

  @Override
  public List<E> subList(int fromIndex, int toIndex) {
    return Collections.unmodifiableList(view().subList(fromIndex, toIndex));
  }

  @SuppressWarnings("unchecked")
  private List<E> view() {
    return (List<E>) Arrays.asList(elements);
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof List<?> other)) {
      return false;
    }
    if (other instanceof RandomAccess) {
      if (other.size() != elements.length) {
        return false;
      }
      for (int i = 0; i < elements.length; i++) {
        if (!Objects.equals(elements[i], other.get(i))) {
          return false;
        }
      }
      return true;
    }
    Iterator<?> it = other.iterator();
    for (Object e : elements) {
      if (!it.hasNext() || !Objects.equals(e, it.next())) {
        return false;
      }
    }
    return !it.hasNext();
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(elements); // the List.hashCode formula
  }

  // ---------------------------------------------------------------- mutators: all refused

  @Override
  public boolean add(E e) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void add(int index, E element) {
    throw new UnsupportedOperationException();
  }

  @Override
  public E set(int index, E element) {
    throw new UnsupportedOperationException();
  }

  @Override
  public E remove(int index) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean remove(Object o) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean addAll(Collection<? extends E> c) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean addAll(int index, Collection<? extends E> c) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean removeAll(Collection<?> c) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean retainAll(Collection<?> c) {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean removeIf(Predicate<? super E> filter) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void replaceAll(UnaryOperator<E> operator) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void sort(Comparator<? super E> c) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void clear() {
    throw new UnsupportedOperationException();
  }

  private Object writeReplace() throws ObjectStreamException {
    return Collections.unmodifiableList(Arrays.asList(elements.clone()));
  }

  /** A read-only list iterator. */
  private final class Cursor implements ListIterator<E> {
    private int next;

    Cursor(int next) {
      this.next = next;
    }

    @Override
    public boolean hasNext() {
      return next < elements.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E next() {
      if (next >= elements.length) {
        throw new NoSuchElementException();
      }
      return (E) elements[next++];
    }

    @Override
    public boolean hasPrevious() {
      return next > 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E previous() {
      if (next <= 0) {
        throw new NoSuchElementException();
      }
      return (E) elements[--next];
    }

    @Override
    public int nextIndex() {
      return next;
    }

    @Override
    public int previousIndex() {
      return next - 1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEachRemaining(Consumer<? super E> action) {
      Objects.requireNonNull(action);
      while (next < elements.length) {
        action.accept((E) elements[next++]);
      }
    }

    @Override
    public void remove() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void set(E e) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void add(E e) {
      throw new UnsupportedOperationException();
    }
  }
}
