package io.redwire.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of an instance's {@code /metrics} (Prometheus text format), read the way a monitoring
 * system would: samples by metric name and labels.
 */
final class Scrape {

  /** One sample line: {@code name{labels} value}. */
  record Sample(String name, Map<String, String> labels, double value) {}

  final String text;
  private final List<Sample> samples = new ArrayList<>();

  Scrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      samples.add(parse(line));
    }
  }

  /** The sum of the samples named {@code name} whose labels include {@code labels} (pairs). */
  long sum(String name, String... labels) {
    double total = 0;
    for (Sample s : samples) {
      if (s.name().equals(name) && matches(s.labels(), labels)) {
        total += s.value();
      }
    }
    return Math.round(total);
  }

  private static boolean matches(Map<String, String> have, String... want) {
    for (int i = 0; i < want.length; i += 2) {
      if (!want[i + 1].equals(have.get(want[i]))) {
        return false;
      }
    }
    return true;
  }

  private static Sample parse(String line) {
    int brace = line.indexOf('{');
    int space = line.lastIndexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      int end = line.lastIndexOf('}');
      String body = line.substring(brace + 1, end);
      int i = 0;
      while (i < body.length()) {
        int eq = body.indexOf('=', i);
        String key = body.substring(i, eq).trim();
        StringBuilder value = new StringBuilder();
        int j = eq + 2; // past ="
        while (body.charAt(j) != '"') {
          char c = body.charAt(j);
          if (c == '\\') {
            char next = body.charAt(++j);
            value.append(next == 'n' ? '\n' : next);
          } else {
            value.append(c);
          }
          j++;
        }
        labels.put(key, value.toString());
        i = j + 1;
        if (i < body.length() && body.charAt(i) == ',') {
          i++;
        }
      }
      space = line.indexOf(' ', end);
    } else {
      name = line.substring(0, line.indexOf(' '));
      space = name.length();
    }
    String rest = line.substring(space + 1).trim();
    int sp = rest.indexOf(' '); // an optional timestamp follows the value
    return new Sample(name, labels, Double.parseDouble(sp < 0 ? rest : rest.substring(0, sp)));
  }
}
