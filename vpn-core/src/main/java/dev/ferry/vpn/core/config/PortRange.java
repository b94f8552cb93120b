package dev.ferry.vpn.core.config;

/** An inclusive range of UDP/TCP ports, written {@code low-high} (e.g. {@code 1024-65535}). */
public record PortRange(int low, int high) {

  public PortRange {
    if (low < 1 || high > 65535 || low > high) {
      throw new IllegalArgumentException(
          "a port range is low-high with 1 <= low <= high <= 65535, not " + low + "-" + high);
    }
  }

  /** Parses {@code low-high} or a single port. */
  public static PortRange parse(String text) {
    String s = text.strip();
    int dash = s.indexOf('-');
    String low = dash < 0 ? s : s.substring(0, dash).strip();
    String high = dash < 0 ? s : s.substring(dash + 1).strip();
    if (!low.matches("[0-9]{1,5}") || !high.matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException("a port range is written low-high, e.g. 1024-65535");
    }
    return new PortRange(Integer.parseInt(low), Integer.parseInt(high));
  }

  public int size() {
    return high - low + 1;
  }

  @Override
  public String toString() {
    return low + "-" + high;
  }
}
