package io.redwire.runtime.board;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * How board members are stored as sorted-set members: printable, and ordered so that the byte order
 * of two members is their natural order. Ties on a {@code SHARED} board are therefore listed in
 * member order ({@code user:9} before {@code user:10} for numbers), not in the order of arbitrary
 * bytes.
 */
public interface MemberCodec<M> {

  byte[] encode(M member);

  /** @throws IllegalArgumentException for bytes this codec did not write */
  M decode(byte[] bytes);

  /** UTF-8 text: printable, ordered by code point. */
  MemberCodec<String> STRING = new MemberCodec<>() {
    @Override
    public byte[] encode(String member) {
      return member.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  };

  /**
   * Decimal, 19 digits zero-padded ({@code 0000000000000000042}); a negative number is {@code -}
   * followed by the 19 digits of {@code n + 2^63}, so negatives sort before positives and in order.
   */
  MemberCodec<Long> LONG = new MemberCodec<>() {
    @Override
    public byte[] encode(Long member) {
      long n = member;
      String digits = n >= 0 ? pad(Long.toString(n)) : "-" + pad(Long.toString(n + Long.MAX_VALUE + 1));
      return digits.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public Long decode(byte[] bytes) {
      String s = new String(bytes, StandardCharsets.US_ASCII);
      try {
        if (s.length() == 20 && s.charAt(0) == '-') {
          return Long.parseLong(s.substring(1)) - Long.MAX_VALUE - 1;
        }
        if (s.length() == 19) {
          return Long.parseLong(s);
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new IllegalArgumentException("not a board member written as a long: " + s);
    }

    private String pad(String digits) {
      return "0".repeat(19 - digits.length()) + digits;
    }
  };

  /** As {@link #LONG}. */
  MemberCodec<Integer> INT = new MemberCodec<>() {
    @Override
    public byte[] encode(Integer member) {
      return LONG.encode(member.longValue());
    }

    @Override
    public Integer decode(byte[] bytes) {
      long n = LONG.decode(bytes);
      if (n != (int) n) {
        throw new IllegalArgumentException("not an int: " + n);
      }
      return (int) n;
    }
  };

  /** The canonical lower-case form, fixed width. */
  MemberCodec<UUID> UUIDS = new MemberCodec<>() {
    @Override
    public byte[] encode(UUID member) {
      return member.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public UUID decode(byte[] bytes) {
      return UUID.fromString(new String(bytes, StandardCharsets.US_ASCII));
    }
  };

  /** An enum by constant name. */
  static <E extends Enum<E>> MemberCodec<E> enumByName(Class<E> type) {
    return new MemberCodec<>() {
      @Override
      public byte[] encode(E member) {
        return member.name().getBytes(StandardCharsets.US_ASCII);
      }

      @Override
      public E decode(byte[] bytes) {
        return Enum.valueOf(type, new String(bytes, StandardCharsets.US_ASCII));
      }
    };
  }
}
