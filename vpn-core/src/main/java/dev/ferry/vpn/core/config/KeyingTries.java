package dev.ferry.vpn.core.config;

/**
 * strongSwan's {@code keyingtries}: how many attempts to negotiate an SA before giving up; {@code 0}
 * (written {@code %forever}) means never give up.
 */
public record KeyingTries(int attempts) {

  /** {@code %forever}. */
  public static final KeyingTries FOREVER = new KeyingTries(0);

  public KeyingTries {
    if (attempts < 0) {
      throw new IllegalArgumentException("keying tries cannot be negative: " + attempts);
    }
  }

  public boolean isForever() {
    return attempts == 0;
  }

  /** Parses {@code %forever} or a whole number; throws {@link IllegalArgumentException}. */
  public static KeyingTries parse(String text) {
    String s = text.strip();
    if (s.equals("%forever")) {
      return FOREVER;
    }
    if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("must be a whole number of attempts or %forever");
    }
    return new KeyingTries(Integer.parseInt(s));
  }

  @Override
  public String toString() {
    return isForever() ? "%forever" : Integer.toString(attempts);
  }
}
