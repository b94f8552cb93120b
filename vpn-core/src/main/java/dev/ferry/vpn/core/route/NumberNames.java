package dev.ferry.vpn.core.route;

import java.util.Map;
import java.util.TreeMap;

/**
 * The names iproute2 gives to some values of an 8- or 32-bit routing attribute (tables, protocols,
 * scopes), in both directions. A value without a name is written and read as a decimal number,
 * exactly as {@code ip} does.
 */
final class NumberNames {
  private final String what;
  private final long max;
  private final Map<Integer, String> byNumber = new TreeMap<>();
  private final Map<String, Integer> byName = new TreeMap<>();

  NumberNames(String what, long max) {
    this.what = what;
    this.max = max;
  }

  NumberNames name(int number, String name) {
    byNumber.put(number, name);
    byName.put(name, number);
    return this;
  }

  /** The name of {@code number}, or its decimal text. */
  String format(int number) {
    String name = byNumber.get(number);
    return name != null ? name : Integer.toUnsignedString(number);
  }

  /** True when iproute2 has a name for {@code number}. */
  boolean isNamed(int number) {
    return byNumber.containsKey(number);
  }

  /** Reads a name or an unsigned decimal number within range. */
  int parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException(what + " is missing");
    }
    Integer named = byName.get(text);
    if (named != null) {
      return named;
    }
    if (text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          what + " \"" + text + "\" is neither a known name " + byName.keySet()
              + " nor a decimal number");
    }
    return check(Long.parseLong(text));
  }

  /** Checks that {@code value} fits the attribute and returns it as an (unsigned) int. */
  int check(long value) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(what + " " + value + " is outside 0.." + max);
    }
    return (int) value;
  }
}
