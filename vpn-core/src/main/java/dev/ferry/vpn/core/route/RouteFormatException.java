package dev.ferry.vpn.core.route;

/**
 * Text that is not a readable {@code ip -j route} listing. The message names the route (0-based
 * index in the JSON array, -1 when the text as a whole is at fault), the field and the reason.
 */
public final class RouteFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int index;
  private final String field;
  private final String reason;

  public RouteFormatException(int index, String field, String reason, Throwable cause) {
    super(describe(index, field, reason), cause);
    this.index = index;
    this.field = field;
    this.reason = reason;
  }

  private static String describe(int index, String field, String reason) {
    if (index < 0) {
      return "route listing is not valid: " + reason;
    }
    return "route #" + index + (field == null ? "" : " field \"" + field + "\"") + ": " + reason;
  }

  /** 0-based position of the offending route in the array, or -1. */
  public int index() {
    return index;
  }

  /** The JSON field at fault, or null. */
  public String field() {
    return field;
  }

  /** Why the input was refused. */
  public String reason() {
    return reason;
  }
}
