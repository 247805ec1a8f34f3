package io.redwire.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RESP2 client: one socket per call, no pooling, no pipelining. Just enough for a test
 * fixture to talk to redis-server without depending on a Redis client library.
 */
final class Resp {

  /** A nil bulk string or nil array. */
  static final Object NIL = new Object() {
    @Override
    public String toString() {
      return "(nil)";
    }
  };

  private Resp() {}

  /**
   * Sends {@code AUTH password} (when a password is given) and then {@code args}, and returns the
   * parsed reply of the last command: String, Long, List of replies, {@link #NIL}, or throws
   * {@link RedisServer.ErrorReply}.
   */
  static Object call(String host, int port, Duration timeout, String password, String... args)
      throws IOException {
    if (args.length == 0) {
      throw new IllegalArgumentException("no command given");
    }
    try (Conn c = open(host, port, timeout, password)) {
      return c.send(args);
    }
  }

  /** An open connection: its socket, and its input buffered (so it can be marked). */
  record Conn(Socket socket, InputStream in) implements java.io.Closeable {
    /** Sends one command and reads its reply (see {@link #read}). */
    Object send(String... args) throws IOException {
      OutputStream out = socket.getOutputStream();
      out.write(encode(args));
      out.flush();
      return read(in);
    }

    /**
     * The next reply or pushed message, or null when none starts within {@code waitMillis}: only that
     * wait times out, never the middle of a message (which would leave the rest in the stream).
     */
    Object poll(int waitMillis) throws IOException {
      int timeout = socket.getSoTimeout();
      socket.setSoTimeout(waitMillis);
      in.mark(1);
      try {
        if (in.read() < 0) {
          throw new EOFException("connection closed by the server");
        }
      } catch (java.net.SocketTimeoutException quiet) {
        return null;
      } finally {
        socket.setSoTimeout(timeout);
      }
      in.reset();
      return read(in);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * Connects with {@code timeout} as the connect and read timeout, and sends {@code AUTH password}
   * first when a password is given.
   */
  static Conn open(String host, int port, Duration timeout, String password) throws IOException {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      socket.setTcpNoDelay(true);
      Conn c = new Conn(socket, new BufferedInputStream(socket.getInputStream()));
      if (password != null) {
        c.send("AUTH", password);
      }
      return c;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  static byte[] encode(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    writeAscii(buf, "*" + args.length + "\r\n");
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      writeAscii(buf, "$" + bytes.length + "\r\n");
      buf.write(bytes, 0, bytes.length);
      writeAscii(buf, "\r\n");
    }
    return buf.toByteArray();
  }

  private static void writeAscii(ByteArrayOutputStream buf, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    buf.write(b, 0, b.length);
  }

  static Object read(InputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed by the server");
    }
    String line = readLine(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new RedisServer.ErrorReply(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int len = Integer.parseInt(line);
        if (len < 0) {
          return NIL;
        }
        byte[] data = in.readNBytes(len);
        if (data.length < len || in.read() != '\r' || in.read() != '\n') {
          throw new EOFException("truncated bulk string");
        }
        return new String(data, StandardCharsets.UTF_8);
      }
      case '*': {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return NIL;
        }
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          try {
            items.add(read(in));
          } catch (RedisServer.ErrorReply e) {
            items.add(e); // an error inside an array (EXEC) is data, not a failure of the call
          }
        }
        return items;
      }
      default:
        throw new IOException("unexpected RESP type byte '" + (char) type + "'");
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed mid-reply");
      }
      if (b == '\r') {
        if (in.read() != '\n') {
          throw new IOException("malformed RESP line");
        }
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
    }
  }

  /** Renders a reply as text: arrays flattened and joined by newlines, nil as {@code null}. */
  static String render(Object reply) {
    if (reply == NIL) {
      return null;
    }
    if (reply instanceof List<?>) {
      List<String> lines = new ArrayList<>();
      flatten((List<?>) reply, lines);
      return String.join("\n", lines);
    }
    return String.valueOf(reply);
  }

  private static void flatten(List<?> items, List<String> lines) {
    for (Object item : items) {
      if (item instanceof List<?>) {
        flatten((List<?>) item, lines);
      } else if (item instanceof RedisServer.ErrorReply) {
        lines.add(((RedisServer.ErrorReply) item).getMessage());
      } else {
        lines.add(item == NIL ? "" : String.valueOf(item));
      }
    }
  }
}
