package dev.ferry.vpn.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds config.yaml text from {@code path=value} lines over a valid base, for table tests. */
final class TestYaml {
  static final String SECRET = "S3cr3t-Value-For-Tests-0042";

  static final List<String> BASE = List.of(
      "ipsec.auto=start",
      "remote.gateway=203.0.113.10",
      "local.subnet=172.30.0.0/16,172.21.0.0/16",
      "remote.subnet=192.168.0.0/24",
      "local.id=ibm-cloud",
      "remote.id=on-prem",
      "preshared.secret=\"" + SECRET + "\"");

  private TestYaml() {}

  /** The base with each {@code path=value} set (or removed with {@code path=<remove>}). */
  static String with(List<String> overrides) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : BASE) {
      put(values, line);
    }
    for (String line : overrides) {
      put(values, line);
    }
    Map<String, Object> tree = new LinkedHashMap<>();
    values.forEach((path, value) -> {
      String[] parts = path.split("\\.");
      Map<String, Object> node = tree;
      for (int i = 0; i < parts.length - 1; i++) {
        @SuppressWarnings("unchecked")
        Map<String, Object> child =
            (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
        node = child;
      }
      node.put(parts[parts.length - 1], value);
    });
    StringBuilder out = new StringBuilder();
    render(tree, 0, out);
    return out.toString();
  }

  private static void put(Map<String, String> values, String line) {
    int eq = line.indexOf('=');
    String path = line.substring(0, eq);
    String value = line.substring(eq + 1);
    if (value.equals("<remove>")) {
      values.remove(path);
    } else {
      values.put(path, value);
    }
  }

  @SuppressWarnings("unchecked")
  private static void render(Map<String, Object> tree, int depth, StringBuilder out) {
    String indent = "  ".repeat(depth);
    tree.forEach((key, value) -> {
      if (value instanceof Map<?, ?> m) {
        out.append(indent).append(key).append(":\n");
        render((Map<String, Object>) m, depth + 1, out);
      } else if (((String) value).startsWith("|-\n")) {
        out.append(indent).append(key).append(": |-\n");
        for (String l : ((String) value).substring(3).split("\n")) {
          out.append(indent).append("  ").append(l).append('\n');
        }
      } else {
        out.append(indent).append(key).append(": ").append(value).append('\n');
      }
    });
  }
}
