package io.redwire.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a redis-server for fault tests: it forwards bytes both ways until told to
 * black-hole some connections, which then stay open but lose every byte in both directions, as a
 * connection whose peer or NAT entry vanished without a FIN (half-open). New connections are forwarded
 * normally.
 */
final class TcpProxy implements AutoCloseable {

  private static final byte[] SUBSCRIBE = "SUBSCRIBE".getBytes(StandardCharsets.US_ASCII);

  private final String host;
  private final int port;
  private final ServerSocket server;
  private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  TcpProxy(String host, int port) throws IOException {
    this.host = host;
    this.port = port;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "tcp-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** {@code redis://127.0.0.1:<proxy port>}. */
  String uri() {
    return "redis://127.0.0.1:" + server.getLocalPort();
  }

  /**
   * Black-holes every open connection that has carried a {@code SUBSCRIBE} (the pub/sub connection);
   * returns how many.
   */
  int blackholeSubscribers() {
    int n = 0;
    for (Pair p : pairs) {
      if (p.subscriber) {
        p.blackholed = true;
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Pair p : pairs) {
      p.close();
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(host, port);
        Pair p = new Pair(client, upstream);
        pairs.add(p);
        p.start();
      } catch (IOException e) {
        if (!closed) {
          e.printStackTrace();
        }
      }
    }
  }

  private final class Pair {
    final Socket client;
    final Socket upstream;
    volatile boolean subscriber;
    volatile boolean blackholed;

    Pair(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void start() throws IOException {
      pump(client.getInputStream(), upstream.getOutputStream(), true);
      pump(upstream.getInputStream(), client.getOutputStream(), false);
    }

    private void pump(InputStream in, OutputStream out, boolean fromClient) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[16 * 1024];
        try {
          int n;
          while ((n = in.read(buf)) > 0) {
            if (fromClient && !subscriber && contains(buf, n, SUBSCRIBE)) {
              subscriber = true;
            }
            if (!blackholed) {
              out.write(buf, 0, n);
              out.flush();
            }
          }
        } catch (IOException e) {
          // either side closed
        } finally {
          close();
        }
      }, "tcp-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    void close() {
      pairs.remove(this);
      try {
        client.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      try {
        upstream.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private static boolean contains(byte[] buf, int n, byte[] word) {
    outer:
    for (int i = 0; i + word.length <= n; i++) {
      for (int j = 0; j < word.length; j++) {
        if ((buf[i + j] & 0xDF) != word[j]) { // ASCII upper case
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
