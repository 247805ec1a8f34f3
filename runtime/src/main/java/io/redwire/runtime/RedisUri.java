package io.redwire.runtime;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A parsed {@code redis://} or {@code rediss://} URI. Error messages and {@link #toString()} never
 * contain the password.
 */
record RedisUri(boolean ssl, String host, int port, String user, String password, int database,
    Duration connectTimeout, Duration socketTimeout) {

  static final int DEFAULT_PORT = 6379;

  /** Without timeouts (the defaults apply). */
  RedisUri(boolean ssl, String host, int port, String user, String password, int database) {
    this(ssl, host, port, user, password, database, null, null);
  }

  /**
   * Parses {@code redis[s]://[[user]:password@]host[:port][/db][?connectTimeout=..&socketTimeout=..]}.
   * A user info without a colon is a password (as in redis-cli). User info may be percent-encoded.
   * Timeouts are durations: {@code 500ms}, {@code 2s}, {@code 1m}, ISO-8601 ({@code PT2S}) or a
   * number of milliseconds.
   */
  static RedisUri parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("Redis URI is empty");
    }
    String trimmed = text.strip();
    int sep = trimmed.indexOf("://");
    String scheme = sep < 0 ? "" : trimmed.substring(0, sep).toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new IllegalArgumentException(
          "unsupported Redis URI scheme '"
              + (sep < 0 ? "(none)" : safeScheme(scheme))
              + "': use redis://host:port or rediss://host:port (TLS)");
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      // the message of URISyntaxException quotes the input, which may hold a password
      throw new IllegalArgumentException(
          "malformed Redis URI " + redact(trimmed) + ": " + e.getReason() + " at index " + e.getIndex());
    }
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw new IllegalArgumentException("Redis URI " + redact(trimmed) + " has no host");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getUserInfo(); // decoded; null for a registry-based authority
    if (userInfo == null && uri.getHost() == null && authority.lastIndexOf('@') >= 0) {
      userInfo = percentDecode(authority.substring(0, authority.lastIndexOf('@')));
    }
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        password = userInfo;
      } else {
        user = userInfo.substring(0, colon);
        password = userInfo.substring(colon + 1);
      }
      if (user != null && user.isEmpty()) {
        user = null;
      }
      if (password.isEmpty()) {
        password = null;
      }
    }
    String host = uri.getHost();
    int port = uri.getPort();
    if (host == null) {
      // a registry-based authority, e.g. a host name with '_' (docker compose service names)
      String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
      int colon = hostPort.lastIndexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      if (colon >= 0) {
        try {
          port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("Redis URI " + redact(trimmed) + " has an invalid port");
        }
      }
    } else if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("Redis URI " + redact(trimmed) + " has no host");
    }
    if (port == -1) {
      port = DEFAULT_PORT;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("Redis URI " + redact(trimmed) + " has an invalid port");
    }
    int database = 0;
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      try {
        database = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        database = -1;
      }
      if (database < 0) {
        throw new IllegalArgumentException(
            "Redis URI " + redact(trimmed) + ": the path must be a database number, like /0");
      }
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "Redis URI " + redact(trimmed) + ": fragments are not supported");
    }
    Duration connectTimeout = null;
    Duration socketTimeout = null;
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
        switch (name) {
          case "connectTimeout" -> connectTimeout = duration(trimmed, name, value);
          case "socketTimeout" -> socketTimeout = duration(trimmed, name, value);
          default -> throw new IllegalArgumentException("Redis URI " + redact(trimmed)
              + ": unknown option '" + safe(name) + "' (supported: connectTimeout, socketTimeout)");
        }
      }
    }
    return new RedisUri(scheme.equals("rediss"), host, port, user, password, database,
        connectTimeout, socketTimeout);
  }

  private static Duration duration(String uri, String name, String value) {
    Duration d = null;
    try {
      String v = value.strip().toLowerCase(Locale.ROOT);
      if (v.startsWith("pt") || v.startsWith("p")) {
        d = Duration.parse(value.strip());
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      } else if (v.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      } else {
        d = Duration.ofMillis(Long.parseLong(v));
      }
    } catch (RuntimeException e) {
      d = null;
    }
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("Redis URI " + redact(uri) + ": " + name + " must be a"
          + " positive duration such as 500ms, 2s, 1m or PT2S, got '" + safe(value) + "'");
    }
    return d;
  }

  private static String safe(String text) {
    String s = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return s.replaceAll("[^A-Za-z0-9_.\\-]", "?");
  }

  /** Without the password. */
  @Override
  public String toString() {
    return (ssl ? "rediss://" : "redis://")
        + (user != null ? user + (password != null ? ":***" : "") + "@" : password != null ? ":***@" : "")
        + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
        + ":" + port + "/" + database
        + (connectTimeout != null || socketTimeout != null ? "?" : "")
        + (connectTimeout != null ? "connectTimeout=" + connectTimeout.toMillis() + "ms" : "")
        + (connectTimeout != null && socketTimeout != null ? "&" : "")
        + (socketTimeout != null ? "socketTimeout=" + socketTimeout.toMillis() + "ms" : "");
  }

  /**
   * The URI with everything between {@code ://} and the last {@code @} replaced by {@code ***}: a
   * password with an unencoded {@code /} or {@code @} must not leak either.
   */
  static String redact(String uri) {
    int sep = uri.indexOf("://");
    int start = sep < 0 ? 0 : sep + 3;
    int at = uri.lastIndexOf('@');
    if (at < start) {
      return uri;
    }
    return uri.substring(0, start) + "***" + uri.substring(at);
  }

  /** Decodes {@code %XX} escapes (as UTF-8); other characters are kept as they are. */
  private static String percentDecode(String raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 3;
          continue;
        }
      }
      int end = i + Character.charCount(raw.codePointAt(i));
      out.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
      i = end;
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String safeScheme(String scheme) {
    // a scheme is short and has no secrets; still, cap it and drop anything odd
    String s = scheme.length() > 20 ? scheme.substring(0, 20) + "..." : scheme;
    return s.replaceAll("[^a-z0-9+.\\-]", "?");
  }
}
