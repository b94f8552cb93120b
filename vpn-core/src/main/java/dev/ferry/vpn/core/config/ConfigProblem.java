package dev.ferry.vpn.core.config;

import java.util.Objects;

/**
 * One finding about a configuration file: where ({@code keyPath} such as {@code ipsec.auto} or
 * {@code localSubnetNAT[2]}, 0-based indexes; and the 1-based {@code line}, 0 when the key is
 * absent), the value as shown to people ({@code null} when absent; always {@code <redacted>} for
 * secrets), and why. Severity says whether it makes the file invalid.
 */
public record ConfigProblem(
    Severity severity, String keyPath, String shownValue, String reason, int line) {

  /** How much a problem matters. */
  public enum Severity {
    /** The file yields no configuration. */
    ERROR,
    /** Loaded, but something deserves attention (unknown key, legacy algorithm). */
    WARNING,
    /** A chart key that only affects Kubernetes placement: kept, not acted on by Ferry. */
    NOTE
  }

  /** What {@link #shownValue} is for secrets. */
  public static final String REDACTED = "<redacted>";

  public ConfigProblem {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(keyPath, "keyPath");
    Objects.requireNonNull(reason, "reason");
    if (line < 0) {
      throw new IllegalArgumentException("line must be 0 (unknown) or positive: " + line);
    }
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code line 12: ipsec.auto = "begin": must be start or add}. */
  @Override
  public String toString() {
    return (line > 0 ? "line " + line + ": " : "")
        + severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + keyPath
        + (shownValue == null ? "" : " = \"" + shownValue + "\"") + ": " + reason;
  }
}
