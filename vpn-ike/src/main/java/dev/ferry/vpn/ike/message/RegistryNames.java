package dev.ferry.vpn.ike.message;

import java.util.HashMap;
import java.util.Map;

/**
 * The names of one IANA registry's known values, shared by the open registry records. A value
 * outside the table is still a valid value: it prints as {@code Registry(123)}.
 */
final class RegistryNames {
  private final String registry;
  private final int maxValue;
  private final Map<Integer, String> names = new HashMap<>();

  RegistryNames(String registry, int maxValue) {
    this.registry = registry;
    this.maxValue = maxValue;
  }

  /** Records {@code name} for {@code value} and returns the value (for constant initialisers). */
  int define(int value, String name) {
    if (names.putIfAbsent(value, name) != null) {
      throw new IllegalStateException(registry + " defines " + value + " twice");
    }
    return value;
  }

  void checkRange(int value) {
    if (value < 0 || value > maxValue) {
      throw new IllegalArgumentException(
          registry + " value " + value + " is outside 0.." + maxValue);
    }
  }

  boolean isKnown(int value) {
    return names.containsKey(value);
  }

  String nameOf(int value) {
    String name = names.get(value);
    return name != null ? name : registry + "(" + value + ")";
  }
}
