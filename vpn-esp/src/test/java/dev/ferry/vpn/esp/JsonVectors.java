package dev.ferry.vpn.esp;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads the JSON vector files under {@code ${ferry.shared.dir}/vectors} (JSON is YAML). vpn-core's
 * test {@code Vectors} cannot be used here: this module's tests compile inside the JPMS module,
 * and vpn-core's test classes share packages with the vpn-core module, which javac refuses.
 */
final class JsonVectors {
  private JsonVectors() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> file(String name) {
    Path path = Path.of(System.getProperty("ferry.shared.dir", "../../shared"), "vectors", name);
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(64 * 1024 * 1024);
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return (Map<String, Object>) new Yaml(options).load(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read vector file " + path, e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> vectors(String name) {
    return (List<Map<String, Object>>) file(name).get("vectors");
  }

  /** Wycheproof tests, each with its group's scalar fields (keySize, ivSize, tagSize) merged in. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> wycheproof(String name) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> group :
        (List<Map<String, Object>>) file("wycheproof/" + name).get("testGroups")) {
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

  static byte[] hex(Map<String, Object> v, String field) {
    Object value = v.get(field);
    if (value == null) {
      throw new IllegalArgumentException("vector has no field " + field + ": " + v.keySet());
    }
    return HexFormat.of().parseHex(value.toString());
  }

  static int integer(Map<String, Object> v, String field) {
    return ((Number) v.get(field)).intValue();
  }
}
