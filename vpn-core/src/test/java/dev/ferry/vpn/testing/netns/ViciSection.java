package dev.ferry.vpn.testing.netns;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A vici message as {@code swanctl --pretty} prints it: named sections holding key/value pairs,
 * lists of values and nested sections, in the order received. Section names may repeat (swanctl
 * prints one {@code list-sa event} section per IKE SA).
 *
 * @param name the section name ({@code ""} for the root)
 * @param values key/value pairs, insertion-ordered
 * @param lists named lists, insertion-ordered
 * @param sections nested sections, in order
 */
public record ViciSection(
    String name,
    Map<String, String> values,
    Map<String, List<String>> lists,
    List<ViciSection> sections) {

  public ViciSection {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    Map<String, List<String>> copied = new LinkedHashMap<>();
    lists.forEach((k, v) -> copied.put(k, List.copyOf(v)));
    lists = Collections.unmodifiableMap(copied);
    sections = List.copyOf(sections);
  }

  public Optional<String> value(String key) {
    return Optional.ofNullable(values.get(key));
  }

  public List<String> list(String key) {
    return lists.getOrDefault(key, List.of());
  }

  /** All direct sub-sections with the given name. */
  public List<ViciSection> sections(String sectionName) {
    return sections.stream().filter(s -> s.name.equals(sectionName)).toList();
  }

  /** The first direct sub-section with the given name. */
  public Optional<ViciSection> section(String sectionName) {
    return sections.stream().filter(s -> s.name.equals(sectionName)).findFirst();
  }

  /**
   * Parses {@code --pretty} output. Lines are {@code name {}, {@code key = value},
   * {@code key = [} (list items one per line until {@code ]}) or {@code }}; anything else (such as
   * swanctl's own status lines) is ignored. Unbalanced braces throw {@link IllegalArgumentException}
   * naming the line, so a truncated listing never passes silently as "no SAs".
   */
  public static ViciSection parsePretty(String text) {
    Deque<Builder> open = new ArrayDeque<>();
    open.push(new Builder(""));
    String list = null;
    int lineNumber = 0;
    for (String raw : text.split("\n", -1)) {
      lineNumber++;
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (list != null) {
        if (line.equals("]")) {
          list = null;
        } else {
          open.peek().lists.get(list).add(line);
        }
        continue;
      }
      if (line.equals("}")) {
        if (open.size() == 1) {
          throw new IllegalArgumentException("line " + lineNumber + ": '}' without open section");
        }
        Builder done = open.pop();
        open.peek().sections.add(done.build());
      } else if (line.endsWith(" {") || line.equals("{")) {
        open.push(new Builder(line.substring(0, line.length() - 1).strip()));
      } else if (line.endsWith(" = [")) {
        list = line.substring(0, line.length() - 4).strip();
        open.peek().lists.put(list, new ArrayList<>());
      } else {
        int eq = line.indexOf(" =");
        if (eq > 0) {
          open.peek().values.put(line.substring(0, eq), line.substring(eq + 2).strip());
        }
      }
    }
    if (list != null || open.size() != 1) {
      throw new IllegalArgumentException("listing ends inside " + (list != null
          ? "list '" + list + "'" : "section '" + open.peek().name + "'"));
    }
    return open.pop().build();
  }

  private static final class Builder {
    final String name;
    final Map<String, String> values = new LinkedHashMap<>();
    final Map<String, List<String>> lists = new LinkedHashMap<>();
    final List<ViciSection> sections = new ArrayList<>();

    Builder(String name) {
      this.name = name;
    }

    ViciSection build() {
      return new ViciSection(name, values, lists, sections);
    }
  }
}
