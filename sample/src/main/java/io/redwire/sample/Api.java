package io.redwire.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.redwire.runtime.Failures;
import io.redwire.runtime.board.Ranked;
import io.redwire.runtime.events.EventPublishException;
import io.redwire.runtime.lock.LockNotAcquiredException;
import io.redwire.runtime.ratelimit.RateLimitedException;
import io.redwire.runtime.session.SessionEndedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The HTTP/JSON routes of one instance. Every refusal is a 4xx with a JSON body {@code {"error": code,
 * "message": text, ...}}, decided before anything is written: bad input never changes state.
 *
 * <pre>
 * GET    /products/{sku}            a product (cached; unknown SKUs are cached as absent for 30 s)
 * PUT    /products/{sku}            {"name", "category", "tags"}: update, evicts the cached product
 * GET    /prices/{sku}?currency=USD a price quote (cached, refreshed in the background)
 * PUT    /prices/{sku}              {"currency", "amount"}: set the list price, evicts the cached quote
 * GET    /cart                      the cart of the SESSION cookie (empty without one)
 * POST   /cart/items                {"sku", "quantity"}: add to the cart (creates the session)
 * DELETE /cart/items/{sku}          remove a line
 * POST   /cart/coupon               {"code"}: once per cart
 * POST   /login                     {"user"}: sign in (the session moves to a new id)
 * POST   /checkout                  place the order: 201, 409 sold out, 429 rate limited
 * GET    /best-sellers?n=10         this week's best sellers
 * GET    /metrics                   Prometheus text format
 * GET    /health                    the instance's name
 * </pre>
 */
final class Api implements HttpHandler {

  static final int MAX_BODY = 4096;
  static final String COOKIE = "SESSION";
  private static final int MAX_QUANTITY = 99;
  private static final int MAX_LINES = 20;
  private static final Pattern SKU = Pattern.compile("[A-Z0-9][A-Z0-9-]{0,31}");
  private static final Pattern USER = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
  private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{47}");
  private static final Set<String> CURRENCIES = Set.of("USD", "EUR");

  private final Service service;

  Api(Service service) {
    this.service = service;
  }

  /** A response: status, extra headers, and a JSON tree or plain text body. */
  record Reply(int status, Map<String, String> headers, Object json, String text) {
    static Reply json(int status, Object body) {
      return new Reply(status, new LinkedHashMap<>(), body, null);
    }

    Reply header(String name, String value) {
      headers.put(name, value);
      return this;
    }
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    Reply reply;
    try {
      reply = route(ex);
    } catch (HttpError e) {
      reply = error(e.status, e.code, e.getMessage(), e.details);
    } catch (RateLimitedException e) {
      service.counts.limited.incrementAndGet();
      reply = error(429, "rate_limited", "too many checkouts; retry in " + e.retryAfterHeader() + " s",
          Map.of("limit", e.name()));
      e.headers().forEach(reply::header);
    } catch (LockNotAcquiredException e) {
      reply = error(503, "busy", "the " + e.lock() + " lock of " + e.key() + " is busy; try again", Map.of())
          .header("Retry-After", "1");
    } catch (SessionEndedException e) {
      reply = error(409, "session_ended", "the session ended during the request; start again", Map.of());
    } catch (RuntimeException e) {
      if (Failures.isOutage(e) || e instanceof EventPublishException) { // Redis down (or the outbox full)
        reply = error(503, "unavailable", "the service cannot reach its store; try again", Map.of())
            .header("Retry-After", "1");
        send(ex, reply);
        return;
      }
      service.counts.serverErrors.incrementAndGet();
      System.err.println("[" + service.name + "] " + ex.getRequestMethod() + " " + ex.getRequestURI() + " failed");
      e.printStackTrace();
      reply = error(500, "internal", "internal error", Map.of());
    }
    send(ex, reply);
  }

  private Reply route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    String[] parts = path.split("/", -1); // "/a/b" -> "", "a", "b"
    String first = parts.length > 1 ? parts[1] : "";
    switch (first) {
      case "products" -> {
        String sku = pathSku(parts, 2, 3);
        return switch (allow(method, "GET", "PUT")) {
          case "GET" -> product(sku);
          default -> updateProduct(sku, body(ex));
        };
      }
      case "prices" -> {
        String sku = pathSku(parts, 2, 3);
        return switch (allow(method, "GET", "PUT")) {
          case "GET" -> price(sku, query(ex).getOrDefault("currency", "USD"));
          default -> setPrice(sku, body(ex));
        };
      }
      case "cart" -> {
        if (parts.length == 2) {
          allow(method, "GET");
          return cart(ex);
        }
        if (parts.length == 3 && parts[2].equals("items")) {
          allow(method, "POST");
          return addItem(ex, body(ex));
        }
        if (parts.length == 4 && parts[2].equals("items")) {
          allow(method, "DELETE");
          return removeItem(ex, pathSku(parts, 3, 4));
        }
        if (parts.length == 3 && parts[2].equals("coupon")) {
          allow(method, "POST");
          return coupon(ex, body(ex));
        }
        throw notFound(path);
      }
      case "login" -> {
        exact(parts, 2, path);
        allow(method, "POST");
        return login(ex, body(ex));
      }
      case "checkout" -> {
        exact(parts, 2, path);
        allow(method, "POST");
        return checkout(ex);
      }
      case "best-sellers" -> {
        exact(parts, 2, path);
        allow(method, "GET");
        return bestSellers(query(ex).getOrDefault("n", "10"));
      }
      case "metrics" -> {
        exact(parts, 2, path);
        allow(method, "GET");
        return new Reply(200, new LinkedHashMap<>(Map.of("Content-Type", "text/plain; version=0.0.4; charset=utf-8")),
            null, service.registry.scrape());
      }
      case "health" -> {
        exact(parts, 2, path);
        allow(method, "GET");
        return Reply.json(200, Json.obj("instance", service.name, "status", "up"));
      }
      default -> throw notFound(path);
    }
  }

  // ------------------------------------------------------------------------------------ catalog, prices

  private Reply product(String sku) {
    Product p = lookup(sku);
    try {
      service.stats.pageViews(sku).increment();
    } catch (RuntimeException e) { // a page view is not worth failing the page for (counted in redisError)
      if (!Failures.isOutage(e)) {
        throw e;
      }
    }
    return Reply.json(200, productJson(p));
  }

  private Reply updateProduct(String sku, Map<String, Object> body) {
    fields(body, "name", "category", "tags");
    String name = string(body, "name", 1, 200);
    Product.Category category;
    try {
      category = Product.Category.valueOf(string(body, "category", 1, 20));
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "invalid_field", "category must be one of " + List.of(Product.Category.values()));
    }
    List<String> tags = new ArrayList<>();
    Object raw = body.getOrDefault("tags", List.of());
    if (!(raw instanceof List<?> list) || list.size() > 10) {
      throw new HttpError(400, "invalid_field", "tags must be a list of at most 10 strings");
    }
    for (Object t : list) {
      if (!(t instanceof String s) || s.isEmpty() || s.length() > 40) {
        throw new HttpError(400, "invalid_field", "tags must be strings of 1 to 40 characters");
      }
      tags.add(s);
    }
    lookup(sku); // 404 for an unknown SKU: updates never create products
    Product updated = new Product(sku, name, category, List.copyOf(tags));
    service.catalog.update(updated);
    return Reply.json(200, productJson(updated));
  }

  private Reply price(String sku, String currency) {
    checkCurrency(currency);
    lookup(sku);
    Price p = service.pricing.price(sku, currency);
    return Reply.json(200, Json.obj("sku", p.sku(), "amount", p.amount(), "currency", p.currency(),
        "quotedAt", p.quotedAt().toString()));
  }

  private Reply setPrice(String sku, Map<String, Object> body) {
    fields(body, "currency", "amount");
    String currency = string(body, "currency", 3, 3);
    checkCurrency(currency);
    BigDecimal amount;
    Object a = body.get("amount");
    try {
      amount = a instanceof String s ? new BigDecimal(s) : a instanceof Long l ? BigDecimal.valueOf(l)
          : (BigDecimal) a;
    } catch (ClassCastException | NumberFormatException e) {
      amount = null;
    }
    if (amount == null || amount.signum() <= 0 || amount.scale() > 2 || amount.compareTo(new BigDecimal("100000")) >= 0) {
      throw new HttpError(400, "invalid_field", "amount must be a positive number below 100000 with at most 2 decimals");
    }
    lookup(sku);
    service.pricing.setPrice(sku, currency, amount);
    return Reply.json(200, Json.obj("sku", sku, "currency", currency, "amount", amount));
  }

  private Product lookup(String sku) {
    service.counts.catalogCalls.incrementAndGet();
    Optional<Product> p = service.catalog.lookup(sku);
    if (p.isEmpty()) {
      throw new HttpError(404, "unknown_sku", "no product " + sku, Map.of("sku", sku));
    }
    return p.get();
  }

  private static Map<String, Object> productJson(Product p) {
    return Json.obj("sku", p.sku(), "name", p.name(), "category", p.category(), "tags", p.tags());
  }

  private static void checkCurrency(String currency) {
    if (!CURRENCIES.contains(currency)) {
      throw new HttpError(400, "invalid_currency", "currency must be one of " + new java.util.TreeSet<>(CURRENCIES));
    }
  }

  // --------------------------------------------------------------------------------------------- cart

  private Reply cart(HttpExchange ex) {
    Optional<CartSession> s = session(ex);
    return Reply.json(200, s.map(Api::cartJson).orElseGet(Api::emptyCart));
  }

  private Reply addItem(HttpExchange ex, Map<String, Object> body) {
    fields(body, "sku", "quantity");
    String sku = string(body, "sku", 1, 32);
    checkSku(sku);
    int quantity = integer(body, "quantity", 1, MAX_QUANTITY);
    Optional<CartSession> existing = session(ex);
    lookup(sku);
    List<CartSession.Line> lines = new ArrayList<>(existing.map(Api::lines).orElse(List.of()));
    boolean merged = false;
    for (int i = 0; i < lines.size(); i++) {
      CartSession.Line l = lines.get(i);
      if (l.sku().equals(sku)) {
        if (l.quantity() + quantity > MAX_QUANTITY) {
          throw new HttpError(400, "invalid_quantity", "at most " + MAX_QUANTITY + " of one SKU per cart",
              Map.of("sku", sku, "inCart", l.quantity()));
        }
        lines.set(i, new CartSession.Line(sku, l.quantity() + quantity));
        merged = true;
      }
    }
    if (!merged) {
      if (lines.size() >= MAX_LINES) {
        throw new HttpError(400, "cart_full", "at most " + MAX_LINES + " lines per cart");
      }
      lines.add(new CartSession.Line(sku, quantity));
    }
    CartSession s = existing.orElseGet(service.carts::create);
    s.lines(lines);
    s.addItems(quantity);
    Reply r = Reply.json(200, cartJson(s));
    return existing.isPresent() ? r : withCookie(r, s.id());
  }

  private Reply removeItem(HttpExchange ex, String sku) {
    CartSession s = session(ex).orElseThrow(() -> new HttpError(404, "not_in_cart", sku + " is not in the cart"));
    List<CartSession.Line> lines = new ArrayList<>(lines(s));
    CartSession.Line line = lines.stream().filter(l -> l.sku().equals(sku)).findFirst()
        .orElseThrow(() -> new HttpError(404, "not_in_cart", sku + " is not in the cart"));
    lines.remove(line);
    s.lines(lines);
    s.addItems(-line.quantity());
    return Reply.json(200, cartJson(s));
  }

  private Reply coupon(HttpExchange ex, Map<String, Object> body) {
    fields(body, "code");
    String code = string(body, "code", 1, 20);
    if (!code.matches("[A-Z0-9]+")) {
      throw new HttpError(400, "invalid_field", "code must be upper-case letters and digits");
    }
    CartSession s = session(ex).orElseThrow(() -> new HttpError(400, "no_session", "add something to the cart first"));
    if (!s.compareAndSetCoupon(null, code)) {
      throw new HttpError(409, "coupon_applied", "this cart already has a coupon");
    }
    return Reply.json(200, cartJson(s));
  }

  private Reply login(HttpExchange ex, Map<String, Object> body) {
    fields(body, "user");
    String user = string(body, "user", 1, 40);
    if (!USER.matcher(user).matches()) {
      throw new HttpError(400, "invalid_field", "user must be 1 to 40 of a-z, 0-9, '_' and '-'");
    }
    Optional<CartSession> existing = session(ex);
    // against session fixation: a signed-in session never keeps the id it had before
    CartSession s = existing.flatMap(old -> service.carts.rotate(old.id())).orElseGet(service.carts::create);
    s.userId(user);
    return withCookie(Reply.json(200, cartJson(s)), s.id());
  }

  private Reply checkout(HttpExchange ex) {
    CartSession s = session(ex).orElseThrow(() -> new HttpError(401, "no_session", "sign in and fill a cart first"));
    CartSession.Summary cart = s.summary();
    if (cart.userId() == null) {
      throw new HttpError(401, "not_signed_in", "sign in (POST /login) before checking out");
    }
    if (cart.lines() == null || cart.lines().isEmpty()) {
      throw new HttpError(400, "empty_cart", "the cart is empty");
    }
    Orders.OrderPlaced order;
    try {
      order = service.checkout.placeOrder(cart.userId(), s.id()); // reads and empties the cart under its lock
    } catch (SoldOutException e) {
      throw new HttpError(409, "sold_out", e.getMessage(), Map.of("sku", e.sku, "available", e.available));
    } catch (EmptyCartException e) {
      throw new HttpError(409, "empty_cart", e.getMessage());
    }
    service.counts.ordersPlaced.incrementAndGet();
    List<Object> lines = new ArrayList<>();
    for (CartSession.Line l : order.lines()) {
      lines.add(Json.obj("sku", l.sku(), "quantity", l.quantity()));
    }
    return Reply.json(201, Json.obj("orderId", order.orderId(), "user", order.userId(), "lines", lines,
        "total", order.total(), "currency", "USD", "placedBy", service.name));
  }

  private Reply bestSellers(String n) {
    int top;
    try {
      top = Integer.parseInt(n);
    } catch (NumberFormatException e) {
      top = -1;
    }
    if (top < 1 || top > 100) {
      throw new HttpError(400, "invalid_parameter", "n must be between 1 and 100");
    }
    List<Object> ranked = new ArrayList<>();
    for (Ranked<String> r : service.stats.bestSellers().top(top)) {
      ranked.add(Json.obj("rank", r.rank(), "sku", r.member(), "units", r.score()));
    }
    return Reply.json(200, Json.obj("week", ranked));
  }

  // ------------------------------------------------------------------------------------------ session

  /**
   * The session of the request's cookie: empty without a cookie or when it has ended; a cookie that
   * cannot be a session id is refused (400) before any state is touched.
   */
  private Optional<CartSession> session(HttpExchange ex) {
    String id = null;
    for (String header : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(COOKIE)) {
          if (id != null) {
            throw new HttpError(400, "malformed_session", "more than one " + COOKIE + " cookie");
          }
          id = pair.substring(eq + 1).trim();
        }
      }
    }
    if (id == null) {
      return Optional.empty();
    }
    if (!SESSION_ID.matcher(id).matches()) {
      throw new HttpError(400, "malformed_session", "the " + COOKIE + " cookie is not a session id");
    }
    return service.carts.find(id);
  }

  private static List<CartSession.Line> lines(CartSession s) {
    List<CartSession.Line> lines = s.lines();
    return lines == null ? List.of() : lines;
  }

  private static Map<String, Object> cartJson(CartSession s) {
    CartSession.Summary c = s.summary();
    List<Object> lines = new ArrayList<>();
    for (CartSession.Line l : c.lines() == null ? List.<CartSession.Line>of() : c.lines()) {
      lines.add(Json.obj("sku", l.sku(), "quantity", l.quantity()));
    }
    return Json.obj("user", c.userId(), "items", c.items(), "lines", lines, "coupon", c.coupon());
  }

  private static Map<String, Object> emptyCart() {
    return Json.obj("user", null, "items", 0L, "lines", List.of(), "coupon", null);
  }

  private static Reply withCookie(Reply r, String id) {
    return r.header("Set-Cookie", COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Lax; Max-Age="
        + Duration.ofHours(8).toSeconds());
  }

  // ------------------------------------------------------------------------------------------ input

  private static String allow(String method, String... allowed) {
    for (String a : allowed) {
      if (a.equals(method)) {
        return a;
      }
    }
    throw new HttpError(405, "method_not_allowed", method + " is not allowed here; use " + String.join(" or ", allowed),
        Map.of("allow", List.of(allowed)));
  }

  private static String pathSku(String[] parts, int index, int length) {
    if (parts.length != length || parts[index].isEmpty()) {
      throw notFound(String.join("/", parts));
    }
    String sku = URLDecoder.decode(parts[index], StandardCharsets.UTF_8);
    checkSku(sku);
    return sku;
  }

  private static void checkSku(String sku) {
    if (!SKU.matcher(sku).matches()) {
      throw new HttpError(400, "invalid_sku", "a SKU is 1 to 32 of A-Z, 0-9 and '-'", Map.of("sku", sku));
    }
  }

  private static void exact(String[] parts, int length, String path) {
    if (parts.length != length) {
      throw notFound(path);
    }
  }

  private static HttpError notFound(String path) {
    return new HttpError(404, "not_found", "no such resource: " + path);
  }

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> q = new LinkedHashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        q.putIfAbsent(k, v);
      }
    }
    return q;
  }

  /** The request body as a JSON object: 413 past {@link #MAX_BODY} bytes, 400 unless a JSON object. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> body(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    byte[] bytes;
    try (InputStream in = ex.getRequestBody()) {
      if (length != null && parseLong(length) > MAX_BODY) {
        drain(in);
        throw tooLarge();
      }
      bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        drain(in);
        throw tooLarge();
      }
    }
    Object json;
    try {
      json = Json.parse(bytes);
    } catch (Json.Malformed e) {
      throw new HttpError(400, "malformed_json", "the body is not valid JSON: " + e.getMessage());
    }
    if (!(json instanceof Map<?, ?>)) {
      throw new HttpError(400, "malformed_json", "the body must be a JSON object");
    }
    return (Map<String, Object>) json;
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Reads and drops up to 1 MiB more, so that the client reads the 413 rather than a reset. */
  private static void drain(InputStream in) throws IOException {
    byte[] skip = new byte[8192];
    long total = 0;
    int n;
    while (total < (1 << 20) && (n = in.read(skip)) > 0) {
      total += n;
    }
  }

  private static HttpError tooLarge() {
    return new HttpError(413, "body_too_large", "request bodies are limited to " + MAX_BODY + " bytes",
        Map.of("limit", MAX_BODY));
  }

  private static void fields(Map<String, Object> body, String... known) {
    Set<String> allowed = Set.of(known);
    for (String k : body.keySet()) {
      if (!allowed.contains(k)) {
        throw new HttpError(400, "unknown_field", "unknown field '" + k + "'; expected " + List.of(known));
      }
    }
  }

  private static String string(Map<String, Object> body, String field, int min, int max) {
    Object v = body.get(field);
    if (!(v instanceof String s) || s.isBlank() || s.length() < min || s.length() > max) {
      throw new HttpError(400, "invalid_field", field + " must be a string of " + min + " to " + max + " characters",
          Map.of("field", field));
    }
    return s;
  }

  private static int integer(Map<String, Object> body, String field, int min, int max) {
    Object v = body.get(field);
    if (!(v instanceof Long n) || n < min || n > max) {
      throw new HttpError(400, "invalid_" + field, field + " must be a whole number from " + min + " to " + max,
          Map.of("field", field));
    }
    return (int) (long) n;
  }

  // ----------------------------------------------------------------------------------------- output

  private Reply error(int status, String code, String message, Map<String, Object> details) {
    Map<String, Object> body = Json.obj("error", code, "message", message);
    body.putAll(details);
    return Reply.json(status, body);
  }

  private void send(HttpExchange ex, Reply reply) throws IOException {
    try (ex) {
      byte[] bytes = reply.text() != null ? reply.text().getBytes(StandardCharsets.UTF_8) : Json.write(reply.json());
      var headers = ex.getResponseHeaders();
      headers.set("Content-Type", "application/json; charset=utf-8");
      headers.set("X-Instance", service.name);
      reply.headers().forEach(headers::set);
      if (reply.status() == 405 && reply.json() instanceof Map<?, ?> m && m.get("allow") instanceof List<?> allow) {
        headers.set("Allow", String.join(", ", allow.stream().map(String::valueOf).toList()));
      }
      if (ex.getRequestMethod().toUpperCase(Locale.ROOT).equals("HEAD")) {
        ex.sendResponseHeaders(reply.status(), -1);
        return;
      }
      ex.sendResponseHeaders(reply.status(), bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
