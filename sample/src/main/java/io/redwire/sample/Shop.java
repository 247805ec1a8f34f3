package io.redwire.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The deployment: several instances of the service on one Redis (one namespace), sharing the backends.
 * Stands in for the load balancer too: {@link #live()} lists the instances still serving.
 */
final class Shop implements AutoCloseable {

  final String redisUri;
  final String namespace;
  final Backends backends;
  final List<Service> instances = new CopyOnWriteArrayList<>();

  private Shop(String redisUri, String namespace, Backends backends) {
    this.redisUri = redisUri;
    this.namespace = namespace;
    this.backends = backends;
  }

  /** Starts one instance per port (0: a free port), named a, b, c... */
  static Shop start(String redisUri, Backends backends, int... ports) {
    Shop shop = new Shop(redisUri, "shop-" + Long.toHexString(System.nanoTime()), backends);
    try {
      for (int i = 0; i < ports.length; i++) {
        shop.instances.add(Service.start(String.valueOf((char) ('a' + i)), redisUri, shop.namespace, ports[i],
            backends));
      }
      return shop;
    } catch (RuntimeException e) {
      shop.close();
      throw e;
    }
  }

  Service instance(String name) {
    for (Service s : instances) {
      if (s.name.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no instance " + name);
  }

  /** The instances the load balancer sends requests to, in order. */
  List<Service> live() {
    List<Service> live = new ArrayList<>();
    for (Service s : instances) {
      if (!s.isDraining()) {
        live.add(s);
      }
    }
    return live;
  }

  /**
   * Stops instance {@code name} the way a deployment does, while customers keep coming: the load
   * balancer sends it nothing new, the requests already sent to it are answered, then it stops.
   */
  void stop(String name) {
    Service s = instance(name);
    s.drain();
    if (!Main.waitFor(() -> s.routed.get() == 0, java.time.Duration.ofSeconds(30))) {
      throw new IllegalStateException("instance " + name + " still has " + s.routed.get() + " requests after 30 s");
    }
    s.close();
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (Service s : instances) {
      try {
        s.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
