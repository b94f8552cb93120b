package dev.ferry.vpn.core.net;

/**
 * Text that is not an IP address or prefix. The message names the input, the position of the first
 * offending character (0-based) when there is one, and the reason.
 */
public final class AddressFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String input;
  private final int position;
  private final String reason;

  public AddressFormatException(String input, int position, String reason) {
    super(describe(input, position, reason));
    this.input = input;
    this.position = position;
    this.reason = reason;
  }

  private static String describe(String input, int position, String reason) {
    String shown = input == null ? "null" : '"' + abbreviate(input) + '"';
    return position >= 0
        ? shown + " is not valid at position " + position + ": " + reason
        : shown + " is not valid: " + reason;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** The text that failed to parse. */
  public String input() {
    return input;
  }

  /** 0-based index of the first offending character, or -1 when the whole text is at fault. */
  public int position() {
    return position;
  }

  /** Why the text was refused, without the input. */
  public String reason() {
    return reason;
  }
}
