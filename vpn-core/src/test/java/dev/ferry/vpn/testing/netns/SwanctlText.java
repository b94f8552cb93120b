package dev.ferry.vpn.testing.netns;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Validation and quoting for values written into swanctl.conf (strongswan.conf syntax). */
final class SwanctlText {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern PROPOSAL = Pattern.compile("[a-z0-9_!]+(-[a-z0-9_!]+)*(,[a-z0-9_!]+(-[a-z0-9_!]+)*)*");

  private SwanctlText() {}

  /** Section names: a letter or digit, then letters, digits, '_', '.', '-' (max 64). */
  static String requireName(String value, String what) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must match " + NAME.pattern() + ", got "
          + (value == null ? "nothing" : "'" + value + "'"));
    }
    return value;
  }

  /** strongSwan proposal lists such as {@code aes128gcm16-prfsha256-ecp256,aes256-sha256}. */
  static String requireProposal(String value, String what) {
    if (value == null || !PROPOSAL.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " is not a strongSwan proposal string: "
          + (value == null ? "nothing" : "'" + value + "'"));
    }
    return value;
  }

  static void requirePositiveSeconds(Duration value, String what) {
    if (value == null || value.toSeconds() <= 0) {
      throw new IllegalArgumentException(what + " must be at least one second, got " + value);
    }
  }

  /**
   * A double-quoted value: identities may contain spaces, commas and '=' (distinguished names),
   * which are syntax in strongswan.conf unless quoted.
   */
  static String quote(String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("swanctl.conf values cannot span lines");
    }
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String join(List<?> values) {
    return values.stream().map(Object::toString).collect(Collectors.joining(","));
  }
}
