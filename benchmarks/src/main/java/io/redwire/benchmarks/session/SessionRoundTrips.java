package io.redwire.benchmarks.session;

import io.redwire.testing.CommandCounter;
import io.redwire.testing.RedisServer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the commands each peer of {@link SessionBenchmark} sends per typical request, on the wire
 * (a counting TCP proxy in front of a redis-server): {@code java -cp benchmarks.jar
 * io.redwire.benchmarks.session.SessionRoundTrips}. Every command is its own round trip here: none of
 * the peers pipelines within a request.
 */
public final class SessionRoundTrips {

  private SessionRoundTrips() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    System.out.println(count(requests));
  }

  /** Peer name -> commands per request (after one warm-up request), and their names. */
  static String count(int requests) throws Exception {
    StringBuilder out = new StringBuilder("| peer | commands per request | which |\n| --- | --- | --- |\n");
    try (RedisServer server = RedisServer.start(); CommandCounter counter = new CommandCounter(server.port())) {
      SessionPeers.RedwirePeer redwire = new SessionPeers.RedwirePeer(counter.uri());
      row(out, "redwire", redwire, counter, requests);
      redwire.close();
      SessionPeers.RedwireTwoCallsPeer twoCalls = new SessionPeers.RedwireTwoCallsPeer(counter.uri());
      row(out, "redwireTwoCalls", twoCalls, counter, requests);
      twoCalls.close();
      for (SessionPeers.SpringPeer spring : List.of(new SessionPeers.SpringDefaultPeer(),
          new SessionPeers.SpringTextPeer())) {
        spring.connect("127.0.0.1", counter.port());
        row(out, spring instanceof SessionPeers.SpringDefaultPeer ? "springSessionDefault" : "springSessionText",
            spring, counter, requests);
        spring.close();
      }
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String name, SessionPeers.Peer peer, CommandCounter counter,
      int requests) {
    peer.request(); // creates the session, loads scripts
    peer.request();
    counter.reset();
    for (int i = 0; i < requests; i++) {
      peer.request();
    }
    List<String> commands = counter.commands();
    Map<String, Integer> byName = new TreeMap<>();
    commands.forEach(c -> byName.merge(c, 1, Integer::sum));
    StringBuilder which = new StringBuilder();
    byName.forEach((c, n) -> which.append(which.length() == 0 ? "" : ", ").append(c).append(' ')
        .append(String.format("%.2f", (double) n / requests)));
    out.append("| ").append(name).append(" | ").append(String.format("%.2f", (double) commands.size() / requests))
        .append(" | ").append(which).append(" |\n");
  }
}
