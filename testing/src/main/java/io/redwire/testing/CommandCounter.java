package io.redwire.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A TCP proxy in front of a redis-server that records the name of every command a client sends, as
 * it crosses the wire (unlike {@code INFO commandstats}, which also counts commands run inside
 * scripts).
 */
public final class CommandCounter implements AutoCloseable {

  private final ServerSocket listener;
  private final int target;
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  /** Commands matching it are held back (not forwarded) until {@link #release}; null: none. */
  private volatile Predicate<List<String>> hold;
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private final AtomicInteger holding = new AtomicInteger();

  public CommandCounter(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "command-counter");
    accept.setDaemon(true);
    accept.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  public String uri() {
    return "redis://127.0.0.1:" + port();
  }

  /** The commands seen since the last {@link #reset}, upper-case names only. */
  public List<String> commands() {
    return new ArrayList<>(commands);
  }

  public void reset() {
    commands.clear();
  }

  /**
   * Holds back every command matching {@code command} (given its elements as ISO-8859-1 strings, so
   * binary arguments keep their ASCII parts) until {@link #release}: it is counted but not forwarded,
   * so its client waits for the reply and that connection sends nothing more meanwhile. Other
   * connections are not affected.
   */
  public void hold(Predicate<List<String>> command) {
    gate = new CountDownLatch(1);
    hold = command;
  }

  /** Forwards the held commands and stops holding. */
  public void release() {
    hold = null;
    gate.countDown();
  }

  /**
   * Delays every reply by {@code latency} on its way back to the client (zero: none), like a network
   * with that round-trip time: n commands sent one after the other cost n times it, a pipeline of n
   * about once.
   */
  public void latency(java.time.Duration latency) {
    this.latencyMillis = latency.toMillis();
  }

  private volatile long latencyMillis;

  private void reply(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[8192];
    int read;
    while ((read = in.read(buffer)) != -1) {
      long delay = latencyMillis;
      if (delay > 0) {
        try {
          Thread.sleep(delay); // the simulated network, not synchronisation
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      out.write(buffer, 0, read);
      out.flush();
    }
  }

  /** How many commands are held back right now. */
  public int holding() {
    return holding.get();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        sockets.add(client);
        sockets.add(server);
        pump(client.getInputStream(), server.getOutputStream(), true);
        pump(server.getInputStream(), client.getOutputStream(), false);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(InputStream in, OutputStream out, boolean count) {
    Thread t = new Thread(() -> {
      try {
        if (count) {
          parse(new BufferedInputStream(in), new java.io.BufferedOutputStream(out));
        } else {
          reply(in, out);
        }
      } catch (IOException e) {
        // connection closed
      }
    }, "command-counter-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Copies RESP arrays of bulk strings through, recording each command's first element. */
  private void parse(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String header = line(in, out);
      if (header == null) {
        return;
      }
      if (!header.startsWith("*")) {
        continue; // inline command (not sent by Jedis)
      }
      int n = Integer.parseInt(header.substring(1));
      Predicate<List<String>> held = hold;
      List<String> elements = held == null ? null : new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String len = line(in, out);
        int size = Integer.parseInt(len.substring(1));
        byte[] data = in.readNBytes(size + 2);
        out.write(data);
        if (i == 0) {
          commands.add(new String(data, 0, size, StandardCharsets.UTF_8).toUpperCase());
        }
        if (elements != null) {
          elements.add(new String(data, 0, size, StandardCharsets.ISO_8859_1));
        }
      }
      if (held != null && held.test(elements)) {
        holding.incrementAndGet();
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } finally {
          holding.decrementAndGet();
        }
      }
      out.flush();
    }
  }

  private static String line(InputStream in, OutputStream out) throws IOException {
    StringBuilder s = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      out.write(c);
      if (c == '\n') {
        return s.substring(0, s.length() - 1);
      }
      s.append((char) c);
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
