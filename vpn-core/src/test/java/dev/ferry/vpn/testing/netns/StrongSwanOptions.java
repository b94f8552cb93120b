package dev.ferry.vpn.testing.netns;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Per-instance charon settings beyond the fixed lab setup: file-log levels per subsystem and
 * extra {@code charon.*} settings (for example {@code retransmit_timeout}).
 *
 * @param logLevels charon log group ({@code ike}, {@code cfg}, {@code knl}, ...) to level -1..4
 * @param charonSettings extra {@code key = value} lines inside the {@code charon} section
 */
public record StrongSwanOptions(Map<String, Integer> logLevels, Map<String, String> charonSettings) {
  private static final Pattern GROUP = Pattern.compile("default|[a-z]{3}");
  private static final Pattern KEY = Pattern.compile("[a-z_-]+(\\.[a-z_-]+)*");
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.,:/%-]+");

  public StrongSwanOptions {
    logLevels = Collections.unmodifiableMap(new LinkedHashMap<>(logLevels));
    charonSettings = Collections.unmodifiableMap(new LinkedHashMap<>(charonSettings));
    logLevels.forEach((group, level) -> {
      if (!GROUP.matcher(group).matches() || level < -1 || level > 4) {
        throw new IllegalArgumentException(
            "log level " + group + " = " + level + ": group must be 'default' or a three-letter"
                + " charon group, level -1..4");
      }
    });
    charonSettings.forEach((key, value) -> {
      if (!KEY.matcher(key).matches() || !VALUE.matcher(value).matches()) {
        throw new IllegalArgumentException("charon setting " + key + " = " + value
            + " is not a plain key/value (key " + KEY.pattern() + ", value " + VALUE.pattern()
            + ")");
      }
    });
  }

  /** Enough detail to see exchanges, proposals and kernel interaction: ike/cfg/chd/knl at 2. */
  public static StrongSwanOptions defaults() {
    Map<String, Integer> levels = new LinkedHashMap<>();
    levels.put("default", 1);
    levels.put("ike", 2);
    levels.put("cfg", 2);
    levels.put("chd", 2);
    levels.put("knl", 2);
    levels.put("net", 1);
    levels.put("enc", 1);
    return new StrongSwanOptions(levels, Map.of());
  }

  /**
   * Logs every secret charon derives (DH shared secret, SKEYSEED, SK_*, AUTH octets, ESP keys:
   * ike 4, enc 3, cfg 3, chd 4) for comparing key derivation byte for byte. Lab use only.
   */
  public StrongSwanOptions withKeyLogging() {
    return withLogLevel("ike", 4).withLogLevel("enc", 3).withLogLevel("cfg", 3)
        .withLogLevel("chd", 4);
  }

  public StrongSwanOptions withLogLevel(String group, int level) {
    Map<String, Integer> levels = new LinkedHashMap<>(logLevels);
    levels.put(group, level);
    return new StrongSwanOptions(levels, charonSettings);
  }

  public StrongSwanOptions withCharonSetting(String key, String value) {
    Map<String, String> settings = new LinkedHashMap<>(charonSettings);
    settings.put(key, value);
    return new StrongSwanOptions(logLevels, settings);
  }
}
