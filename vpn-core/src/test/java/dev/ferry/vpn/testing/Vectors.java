package dev.ferry.vpn.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads the JSON test-vector files in {@code ${ferry.shared.dir}/vectors} (JSON is YAML, so
 * SnakeYAML parses it). Shared with the other modules' tests through vpn-core's test jar; its
 * package belongs to no JPMS module, so modules' patched test compiles can read it.
 */
public final class Vectors {
  private Vectors() {}

  /** The vector directory; the build sets {@code ferry.shared.dir}. */
  public static Path directory() {
    String shared = System.getProperty("ferry.shared.dir", "../../shared");
    return Path.of(shared, "vectors");
  }

  /** The whole parsed file. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> file(String name) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(64 * 1024 * 1024);
    try (Reader in = Files.newBufferedReader(directory().resolve(name), StandardCharsets.UTF_8)) {
      return (Map<String, Object>) new Yaml(options).load(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read vector file " + name, e);
    }
  }

  /** The {@code vectors} array of a file in the project's layout. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> vectors(String name) {
    return (List<Map<String, Object>>) file(name).get("vectors");
  }

  /** Each vector as one named JUnit argument (name from {@code name}, {@code tc} or index). */
  public static Stream<Arguments> arguments(String name) {
    List<Map<String, Object>> all = vectors(name);
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Map<String, Object> v = all.get(i);
      Object label = v.getOrDefault("name", v.getOrDefault("tc", v.getOrDefault("case", i)));
      out.add(Arguments.of(Named.of(name + " " + label, v)));
    }
    return out.stream();
  }

  /**
   * Wycheproof tests flattened with their group: each map holds the test's fields plus the
   * group's scalar fields (keySize, tagSize, curve...).
   */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> wycheproof(String name) {
    Map<String, Object> root = file("wycheproof/" + name);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) root.get("testGroups")) {
      for (Map<String, Object> test : (List<Map<String, Object>>) group.get("tests")) {
        Map<String, Object> merged = new java.util.HashMap<>(test);
        group.forEach((k, v) -> {
          if (!(v instanceof List) && !(v instanceof Map)) {
            merged.putIfAbsent(k, v);
          }
        });
        out.add(merged);
      }
    }
    return out;
  }

  public static byte[] hex(Map<String, Object> v, String field) {
    Object value = v.get(field);
    if (value == null) {
      throw new IllegalArgumentException("vector has no field " + field + ": " + v.keySet());
    }
    return HexFormat.of().parseHex(value.toString());
  }

  public static int integer(Map<String, Object> v, String field) {
    return ((Number) v.get(field)).intValue();
  }

  public static String text(Map<String, Object> v, String field) {
    return String.valueOf(v.get(field));
  }
}
