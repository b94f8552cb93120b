package dev.ferry.vpn.ike.message;

/**
 * IKEv2 Payload Types (RFC 7296 section 3.2, IANA "IKEv2 Payload Types"), the Next Payload octet
 * of the header and of every generic payload header.
 *
 * <p>An open registry: {@link #valueOf} accepts every value of the field's width, unknown values
 * round-trip unchanged, and {@link #isKnown} tells whether Ferry has a name for the value.
 */
public record PayloadType(int value) {
  private static final RegistryNames NAMES = new RegistryNames("PayloadType", 255);

  /** No Next Payload: ends a payload chain. */
  public static final PayloadType NONE = new PayloadType(NAMES.define(0, "NONE"));
  /** Security Association (RFC 7296 section 3.3). */
  public static final PayloadType SA = new PayloadType(NAMES.define(33, "SA"));
  /** Key Exchange (section 3.4). */
  public static final PayloadType KE = new PayloadType(NAMES.define(34, "KE"));
  /** Identification - Initiator (section 3.5). */
  public static final PayloadType IDI = new PayloadType(NAMES.define(35, "IDI"));
  /** Identification - Responder (section 3.5). */
  public static final PayloadType IDR = new PayloadType(NAMES.define(36, "IDR"));
  /** Certificate (section 3.6). */
  public static final PayloadType CERT = new PayloadType(NAMES.define(37, "CERT"));
  /** Certificate Request (section 3.7). */
  public static final PayloadType CERTREQ = new PayloadType(NAMES.define(38, "CERTREQ"));
  /** Authentication (section 3.8). */
  public static final PayloadType AUTH = new PayloadType(NAMES.define(39, "AUTH"));
  /** Nonce, Ni or Nr (section 3.9). */
  public static final PayloadType NONCE = new PayloadType(NAMES.define(40, "NONCE"));
  /** Notify (section 3.10). */
  public static final PayloadType NOTIFY = new PayloadType(NAMES.define(41, "NOTIFY"));
  /** Delete (section 3.11). */
  public static final PayloadType DELETE = new PayloadType(NAMES.define(42, "DELETE"));
  /** Vendor ID (section 3.12). */
  public static final PayloadType VENDOR_ID = new PayloadType(NAMES.define(43, "VENDOR_ID"));
  /** Traffic Selector - Initiator (section 3.13). */
  public static final PayloadType TSI = new PayloadType(NAMES.define(44, "TSI"));
  /** Traffic Selector - Responder (section 3.13). */
  public static final PayloadType TSR = new PayloadType(NAMES.define(45, "TSR"));
  /** Encrypted and Authenticated (section 3.14). */
  public static final PayloadType SK = new PayloadType(NAMES.define(46, "SK"));
  /** Configuration (section 3.15). */
  public static final PayloadType CP = new PayloadType(NAMES.define(47, "CP"));
  /** Extensible Authentication (section 3.16). */
  public static final PayloadType EAP = new PayloadType(NAMES.define(48, "EAP"));
  /** Generic Secure Password Methods (RFC 6467). */
  public static final PayloadType GSPM = new PayloadType(NAMES.define(49, "GSPM"));
  /** Encrypted and Authenticated Fragment (RFC 7383 section 2.5). */
  public static final PayloadType SKF = new PayloadType(NAMES.define(53, "SKF"));
  /** Puzzle Solution (RFC 8019). */
  public static final PayloadType PS = new PayloadType(NAMES.define(54, "PS"));

  private static final PayloadType[] CACHE = new PayloadType[255 + 1];

  static {
    for (int i = 0; i < CACHE.length; i++) {
      CACHE[i] = new PayloadType(i);
    }
  }

  public PayloadType {
    NAMES.checkRange(value);
  }

  /** The registry value {@code value}; throws IllegalArgumentException outside 0..255. */
  public static PayloadType valueOf(int value) {
    if (value >= 0 && value <= 255) {
      return CACHE[value];
    }
    return new PayloadType(value);
  }

  /** True when the value has a registered name in Ferry's table. */
  public boolean isKnown() {
    return NAMES.isKnown(value);
  }

  /** The IANA name, e.g. {@code SA}, or {@code PayloadType(n)} for unknown values. */
  public String name() {
    return NAMES.nameOf(value);
  }

  /** True for the two payloads that carry encrypted inner payloads: SK and SKF. */
  public boolean isEncrypted() {
    return value == 46 || value == 53;
  }

  @Override
  public String toString() {
    return name();
  }
}
