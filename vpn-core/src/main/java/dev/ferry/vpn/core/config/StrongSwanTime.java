package dev.ferry.vpn.core.config;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * strongSwan's time syntax for {@code ikelifetime}, {@code lifetime} and {@code margintime}: a
 * number followed by {@code s}, {@code m}, {@code h} or {@code d} (seconds when no unit is given);
 * decimals are allowed ({@code 2.5m}) and, as in strongSwan, truncated to whole seconds.
 */
public final class StrongSwanTime {
  private StrongSwanTime() {}

  /** Parses {@code 3h}, {@code 2.5m}, {@code 90}; throws {@link IllegalArgumentException}. */
  public static Duration parse(String text) {
    String s = text.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("a time is a number with an optional unit s, m, h or d");
    }
    char last = s.charAt(s.length() - 1);
    long unitSeconds = switch (last) {
      case 's' -> 1;
      case 'm' -> 60;
      case 'h' -> 3600;
      case 'd' -> 86400;
      default -> Character.isDigit(last) ? 1 : -1;
    };
    if (unitSeconds < 0) {
      throw new IllegalArgumentException(
          "unknown time unit '" + last + "'; use s, m, h or d (e.g. 3h, 9m, 1d)");
    }
    String number = Character.isDigit(last) ? s : s.substring(0, s.length() - 1);
    if (!number.matches("[0-9]{1,9}(\\.[0-9]{1,6})?")) {
      throw new IllegalArgumentException("a time is a number with an optional unit s, m, h or d");
    }
    long seconds = new BigDecimal(number).multiply(BigDecimal.valueOf(unitSeconds)).longValue();
    return Duration.ofSeconds(seconds);
  }

  /** The shortest exact strongSwan text for a whole number of seconds, e.g. {@code 3h}. */
  public static String format(Duration duration) {
    long s = duration.getSeconds();
    if (s != 0 && s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s != 0 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s != 0 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
