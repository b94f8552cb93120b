package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.config.ConfigProblem.Severity;
import dev.ferry.vpn.core.net.AddressFormatException;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One pass over a composed YAML document: sorts keys into known leaves, sections, placement keys
 * and unknown keys; gives typed access to leaves; and collects every problem with its key path and
 * line. Values under secret paths are never shown.
 */
final class ConfigReader {

  /** A non-blank scalar value and where it is. */
  record Scalar(String path, String text, ScalarNode node) {}

  /** One entry of a comma/space/newline separated list value. */
  record Entry(String path, String text, int line) {}

  /** A parsed list entry with its key path ({@code localSubnetNAT[2]}) and line. */
  record Located<T>(T value, String path, int line) {}

  static <T> List<T> values(List<Located<T>> located) {
    return located.stream().map(Located::value).toList();
  }

  private final List<ConfigProblem> problems = new ArrayList<>();
  private final Map<String, Node> leaves = new LinkedHashMap<>();
  private final Map<String, Node> keyNodes = new LinkedHashMap<>();
  private final Map<String, Object> placement = new LinkedHashMap<>();

  // ---------------------------------------------------------------- problems

  void error(String path, String shown, String reason, int line) {
    problems.add(new ConfigProblem(Severity.ERROR, path, redact(path, shown), reason, line));
  }

  void warning(String path, String shown, String reason, int line) {
    problems.add(new ConfigProblem(Severity.WARNING, path, redact(path, shown), reason, line));
  }

  void note(String path, String reason, int line) {
    problems.add(new ConfigProblem(Severity.NOTE, path, null, reason, line));
  }

  boolean hasErrors() {
    return problems.stream().anyMatch(ConfigProblem::isError);
  }

  /** Every problem, with {@code secret} (if any) scrubbed from all shown values and reasons. */
  List<ConfigProblem> problems(Optional<String> secret) {
    List<ConfigProblem> out = new ArrayList<>();
    for (ConfigProblem p : problems) {
      out.add(secret.filter(s -> !s.isEmpty())
          .map(s -> new ConfigProblem(p.severity(), p.keyPath(), scrub(p.shownValue(), s),
              scrub(p.reason(), s), p.line()))
          .orElse(p));
    }
    out.sort(java.util.Comparator.comparingInt(ConfigProblem::line));
    return out;
  }

  private static String scrub(String text, String secret) {
    return text == null ? null : text.replace(secret, ConfigProblem.REDACTED);
  }

  private static String redact(String path, String shown) {
    if (shown == null) {
      return null;
    }
    if (ChartKeys.isSecretPath(path)) {
      return ConfigProblem.REDACTED;
    }
    return shown.length() <= 80 ? shown : shown.substring(0, 77) + "...";
  }

  static int line(Node node) {
    return node == null ? 0 : node.getStartMark().getLine() + 1;
  }

  /** The line of a key, or 0 when the key is absent. */
  int lineOf(String path) {
    return line(keyNodes.get(path));
  }

  Map<String, Object> placement() {
    return placement;
  }

  // ---------------------------------------------------------------- walking

  void walk(MappingNode mapping, String prefix) {
    Set<String> seen = new HashSet<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      Node value = tuple.getValueNode();
      if (!(keyNode instanceof ScalarNode keyScalar)) {
        error(prefix.isEmpty() ? "(root)" : prefix, null, "keys must be plain names", line(keyNode));
        continue;
      }
      String name = keyScalar.getValue();
      String path = prefix.isEmpty() ? name : prefix + "." + name;
      if (!seen.add(name)) {
        // go-yaml (Helm) refuses duplicate keys too; snakeyaml's composer keeps both.
        error(path, null, "duplicate key; the earlier value would be silently replaced",
            line(keyNode));
        continue;
      }
      keyNodes.put(path, keyNode);
      if (ChartKeys.SECTIONS.contains(path)) {
        if (value instanceof MappingNode section) {
          walk(section, path);
        } else if (!isBlank(value)) {
          error(path, shownOf(path, value), "expected a section of keys (a mapping), found "
              + describe(value), line(value));
        }
      } else if (prefix.isEmpty() && ChartKeys.PLACEMENT_DEFAULTS.containsKey(path)) {
        Object plain = plain(value);
        placement.put(path, plain);
        String chartDefault = ChartKeys.PLACEMENT_DEFAULTS.get(path);
        if (!isBlank(value) && !String.valueOf(plain).equals(chartDefault)) {
          note(path, "only affects Kubernetes placement of the chart's pod; kept, not acted on",
              line(keyNode));
        }
      } else if (ChartKeys.LEAVES.contains(path)) {
        leaves.put(path, value);
      } else {
        warning(path, null, "unknown key, ignored" + ChartKeys.suggestion(path), line(keyNode));
      }
    }
  }

  static boolean isBlank(Node node) {
    if (node == null) {
      return true;
    }
    return switch (node) {
      case ScalarNode s -> s.getTag().equals(Tag.NULL) || s.getValue().isBlank();
      case MappingNode m -> m.getValue().isEmpty();
      case SequenceNode q -> q.getValue().isEmpty();
      default -> false;
    };
  }

  private static String describe(Node node) {
    return switch (node) {
      case MappingNode m -> "a mapping";
      case SequenceNode s -> "a list";
      default -> "a single value";
    };
  }

  private String shownOf(String path, Node node) {
    return node instanceof ScalarNode s ? s.getValue() : null;
  }

  /** A YAML node as plain immutable Java values (String, Boolean, Long, List, Map). */
  private static Object plain(Node node) {
    return switch (node) {
      case ScalarNode s when s.getTag().equals(Tag.NULL) -> "";
      case ScalarNode s when s.getTag().equals(Tag.BOOL) -> ChartKeys.yamlBoolean(s.getValue())
          .map(Object.class::cast).orElse(s.getValue());
      case ScalarNode s when s.getTag().equals(Tag.INT) && s.getValue().matches("-?[0-9]{1,18}") ->
          Long.parseLong(s.getValue());
      case ScalarNode s -> s.getValue();
      case SequenceNode q -> q.getValue().stream().map(ConfigReader::plain).toList();
      case MappingNode m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
          out.put(String.valueOf(plain(t.getKeyNode())), plain(t.getValueNode()));
        }
        yield java.util.Collections.unmodifiableMap(out);
      }
      default -> String.valueOf(node);
    };
  }

  // ---------------------------------------------------------------- typed access

  boolean isPresent(String path) {
    return !isBlank(leaves.get(path));
  }

  /** The scalar at {@code path}, empty when absent or blank; a list or mapping is an error. */
  Optional<Scalar> scalar(String path) {
    Node node = leaves.get(path);
    if (isBlank(node)) {
      return Optional.empty();
    }
    if (node instanceof ScalarNode s) {
      return Optional.of(new Scalar(path, s.getValue().strip(), s));
    }
    error(path, null, "expected a single value, found " + describe(node)
        + (node instanceof SequenceNode ? "; the chart expects one comma-separated string" : ""),
        line(node));
    return Optional.empty();
  }

  /** Parses the scalar at {@code path} or reports why it cannot be parsed. */
  <T> Optional<T> parsed(String path, Function<String, T> parser) {
    Optional<Scalar> s = scalar(path);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.apply(s.get().text()));
    } catch (IllegalArgumentException e) {
      error(path, s.get().text(), reasonOf(e), line(s.get().node()));
      return Optional.empty();
    }
  }

  static String reasonOf(IllegalArgumentException e) {
    return e instanceof AddressFormatException a ? a.getMessage() : e.getMessage();
  }

  /** YAML 1.1 / go-yaml booleans (true/false/yes/no/on/off), quoted or not. */
  Optional<Boolean> bool(String path) {
    return parsed(path, text -> ChartKeys.yamlBoolean(text)
        .orElseThrow(() -> new IllegalArgumentException("must be true or false")));
  }

  /** A decimal whole number in {@code min..max}. */
  Optional<Long> integer(String path, long min, long max) {
    return parsed(path, text -> {
      if (!text.matches("[+-]?[0-9]{1,18}")) {
        throw new IllegalArgumentException("must be a whole number");
      }
      long v = Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
      if (v < min || v > max) {
        throw new IllegalArgumentException("must be between " + min + " and " + max);
      }
      return v;
    });
  }

  /** One of the {@code allowed} words (case-insensitive). */
  <E> Optional<E> choice(String path, Map<String, E> allowed) {
    return parsed(path, text -> {
      E value = allowed.get(text.toLowerCase(Locale.ROOT));
      if (value == null) {
        throw new IllegalArgumentException(
            "must be one of " + String.join(", ", new java.util.TreeSet<>(allowed.keySet())));
      }
      return value;
    });
  }

  /**
   * The entries of a list value: a YAML list (only where {@code allowSequence}), or one string whose
   * entries are separated by commas, spaces or newlines (the chart's {@code |-} blocks). Entry
   * paths are {@code path[i]}, 0-based; lines follow literal blocks.
   */
  List<Entry> entries(String path, boolean allowSequence) {
    Node node = leaves.get(path);
    if (isBlank(node)) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    if (node instanceof SequenceNode seq && allowSequence) {
      for (Node item : seq.getValue()) {
        String p = path + "[" + out.size() + "]";
        if (item instanceof ScalarNode s && !isBlank(s)) {
          out.add(new Entry(p, s.getValue().strip(), line(s)));
        } else {
          error(p, null, "expected a single value in the list", line(item));
          out.add(new Entry(p, null, line(item)));
        }
      }
      return out;
    }
    Optional<Scalar> scalar = scalar(path);
    if (scalar.isEmpty()) {
      return List.of();
    }
    ScalarNode s = scalar.get().node();
    String text = s.getValue();
    boolean literal = s.getScalarStyle() == ScalarStyle.LITERAL;
    int baseLine = line(s) + (literal ? 1 : 0);
    int lineOffset = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\n') {
        lineOffset++;
        i++;
      } else if (c == ',' || Character.isWhitespace(c)) {
        i++;
      } else {
        int start = i;
        while (i < text.length() && text.charAt(i) != ',' && !Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        out.add(new Entry(path + "[" + out.size() + "]", text.substring(start, i),
            literal ? baseLine + lineOffset : baseLine));
      }
    }
    return out;
  }

  /** Each entry parsed; bad entries are reported at {@code path[i]} and left out. */
  <T> List<Located<T>> parsedEntries(
      String path, boolean allowSequence, Function<String, T> parser) {
    List<Located<T>> out = new ArrayList<>();
    for (Entry e : entries(path, allowSequence)) {
      if (e.text() == null) {
        continue;
      }
      try {
        out.add(new Located<>(parser.apply(e.text()), e.path(), e.line()));
      } catch (IllegalArgumentException ex) {
        error(e.path(), e.text(), reasonOf(ex), e.line());
      }
    }
    return out;
  }

  List<Located<IpPrefix>> prefixes(String path, boolean allowSequence) {
    return parsedEntries(path, allowSequence, IpPrefix::parse);
  }
}
