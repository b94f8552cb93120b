package dev.ferry.vpn.ike.message;

/**
 * IKEv2 Exchange Types (RFC 7296 section 3.1, IANA "IKEv2 Exchange Types").
 *
 * <p>An open registry: {@link #valueOf} accepts every value of the field's width, unknown values
 * round-trip unchanged, and {@link #isKnown} tells whether Ferry has a name for the value.
 */
public record ExchangeType(int value) {
  private static final RegistryNames NAMES = new RegistryNames("ExchangeType", 255);

  /** Initial exchange, negotiates the IKE SA (RFC 7296 section 1.2). */
  public static final ExchangeType IKE_SA_INIT = new ExchangeType(NAMES.define(34, "IKE_SA_INIT"));
  /** Authenticates and creates the first Child SA (section 1.2). */
  public static final ExchangeType IKE_AUTH = new ExchangeType(NAMES.define(35, "IKE_AUTH"));
  /** Creates or rekeys Child SAs and rekeys the IKE SA (section 1.3). */
  public static final ExchangeType CREATE_CHILD_SA = new ExchangeType(NAMES.define(36, "CREATE_CHILD_SA"));
  /** Deletes, errors and liveness checks (section 1.4). */
  public static final ExchangeType INFORMATIONAL = new ExchangeType(NAMES.define(37, "INFORMATIONAL"));
  /** Session resumption (RFC 5723). */
  public static final ExchangeType IKE_SESSION_RESUME = new ExchangeType(NAMES.define(38, "IKE_SESSION_RESUME"));
  /** Group SA authentication (RFC 9838). */
  public static final ExchangeType GSA_AUTH = new ExchangeType(NAMES.define(39, "GSA_AUTH"));
  /** Group SA registration (RFC 9838). */
  public static final ExchangeType GSA_REGISTRATION = new ExchangeType(NAMES.define(40, "GSA_REGISTRATION"));
  /** Group SA rekey (RFC 9838). */
  public static final ExchangeType GSA_REKEY = new ExchangeType(NAMES.define(41, "GSA_REKEY"));
  /** Intermediate exchange (RFC 9242). */
  public static final ExchangeType IKE_INTERMEDIATE = new ExchangeType(NAMES.define(43, "IKE_INTERMEDIATE"));
  /** Follow-up key exchange (RFC 9370). */
  public static final ExchangeType IKE_FOLLOWUP_KE = new ExchangeType(NAMES.define(44, "IKE_FOLLOWUP_KE"));

  private static final ExchangeType[] CACHE = new ExchangeType[255 + 1];

  static {
    for (int i = 0; i < CACHE.length; i++) {
      CACHE[i] = new ExchangeType(i);
    }
  }

  public ExchangeType {
    NAMES.checkRange(value);
  }

  /** The registry value {@code value}; throws IllegalArgumentException outside 0..255. */
  public static ExchangeType valueOf(int value) {
    if (value >= 0 && value <= 255) {
      return CACHE[value];
    }
    return new ExchangeType(value);
  }

  /** True when the value has a registered name in Ferry's table. */
  public boolean isKnown() {
    return NAMES.isKnown(value);
  }

  /** The IANA name, e.g. {@code IKE_AUTH}, or {@code ExchangeType(n)} for unknown values. */
  public String name() {
    return NAMES.nameOf(value);
  }

  @Override
  public String toString() {
    return name();
  }
}
