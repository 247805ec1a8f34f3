package io.redwire.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One customer's HTTP client: keeps its {@code SESSION} cookie by hand (the instances are different
 * origins to a browser's cookie jar only by port, which cookies ignore; here it is explicit), and the
 * cart it expects the service to hold.
 */
final class Shopper {

  /** One answer: status, headers, body text and its JSON tree (null when not JSON), and who answered. */
  record Response(int status, Map<String, List<String>> headers, String body, Object json, String instance) {

    Optional<String> header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return Optional.of(e.getValue().get(0));
        }
      }
      return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object() {
      return json instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @Override
    public String toString() {
      return status + " from " + instance + ": " + body;
    }
  }

  final String name;
  private final HttpClient http;
  private String session;
  /** SKU -> quantity: what this customer put in the cart and expects the service to keep. */
  final Map<String, Integer> cart = new TreeMap<>();
  String user;

  Shopper(String name, HttpClient http) {
    this.name = name;
    this.http = http;
  }

  static HttpClient client() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
  }

  String session() {
    return session;
  }

  Response get(URI base, String path) {
    return send(base, "GET", path, null, session);
  }

  Response post(URI base, String path, String json) {
    return send(base, "POST", path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), session);
  }

  /** Sends a request with the given cookie value (null: none); takes a new session from {@code Set-Cookie}. */
  Response send(URI base, String method, String path, byte[] body, String cookie) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (cookie != null) {
      b.header("Cookie", Api.COOKIE + "=" + cookie);
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + base.resolve(path) + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Object json = null;
    try {
      json = Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
    } catch (Json.Malformed e) {
      // not JSON (the metrics text): json stays null
    }
    Response response = new Response(r.statusCode(), r.headers().map(), r.body(), json,
        r.headers().firstValue("X-Instance").orElse("?"));
    response.header("Set-Cookie").ifPresent(c -> {
      if (c.startsWith(Api.COOKIE + "=")) {
        session = c.substring(Api.COOKIE.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'));
      }
    });
    return response;
  }

  /** The cart the service answered, as SKU -> quantity. */
  static Map<String, Integer> lines(Response cart) {
    Map<String, Integer> lines = new TreeMap<>();
    if (cart.object().get("lines") instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> line) {
          lines.put((String) line.get("sku"), ((Number) line.get("quantity")).intValue());
        }
      }
    }
    return lines;
  }
}
