package dev.ferry.vpn.ike.message;

/**
 * IKEv2 Authentication Methods (RFC 7296 section 3.8, IANA "IKEv2 Authentication Method").
 *
 * <p>An open registry: {@link #valueOf} accepts every value of the field's width, unknown values
 * round-trip unchanged, and {@link #isKnown} tells whether Ferry has a name for the value.
 */
public record AuthMethod(int value) {
  private static final RegistryNames NAMES = new RegistryNames("AuthMethod", 255);

  /** RSASSA-PKCS1-v1_5 signature. */
  public static final AuthMethod RSA_DIGITAL_SIGNATURE = new AuthMethod(NAMES.define(1, "RSA_DIGITAL_SIGNATURE"));
  /** Pre-shared key MAC (RFC 7296 section 2.15). */
  public static final AuthMethod SHARED_KEY_MESSAGE_INTEGRITY_CODE = new AuthMethod(NAMES.define(2, "SHARED_KEY_MESSAGE_INTEGRITY_CODE"));
  /** DSS signature. */
  public static final AuthMethod DSS_DIGITAL_SIGNATURE = new AuthMethod(NAMES.define(3, "DSS_DIGITAL_SIGNATURE"));
  /** ECDSA with SHA-256 on P-256 (RFC 4754). */
  public static final AuthMethod ECDSA_SHA256_P256 = new AuthMethod(NAMES.define(9, "ECDSA_SHA256_P256"));
  /** ECDSA with SHA-384 on P-384 (RFC 4754). */
  public static final AuthMethod ECDSA_SHA384_P384 = new AuthMethod(NAMES.define(10, "ECDSA_SHA384_P384"));
  /** ECDSA with SHA-512 on P-521 (RFC 4754). */
  public static final AuthMethod ECDSA_SHA512_P521 = new AuthMethod(NAMES.define(11, "ECDSA_SHA512_P521"));
  /** Generic Secure Password Authentication Method (RFC 6467). */
  public static final AuthMethod GENERIC_SECURE_PASSWORD = new AuthMethod(NAMES.define(12, "GENERIC_SECURE_PASSWORD"));
  /** NULL authentication (RFC 7619). */
  public static final AuthMethod NULL_AUTHENTICATION = new AuthMethod(NAMES.define(13, "NULL_AUTHENTICATION"));
  /** Digital signature with the algorithm in the data (RFC 7427). */
  public static final AuthMethod DIGITAL_SIGNATURE = new AuthMethod(NAMES.define(14, "DIGITAL_SIGNATURE"));

  public AuthMethod {
    NAMES.checkRange(value);
  }

  /** The registry value {@code value}; throws IllegalArgumentException outside 0..255. */
  public static AuthMethod valueOf(int value) {
    return new AuthMethod(value);
  }

  /** True when the value has a registered name in Ferry's table. */
  public boolean isKnown() {
    return NAMES.isKnown(value);
  }

  /** The IANA name, e.g. {@code SHARED_KEY_MESSAGE_INTEGRITY_CODE}, or {@code AuthMethod(n)} for unknown values. */
  public String name() {
    return NAMES.nameOf(value);
  }

  @Override
  public String toString() {
    return name();
  }
}
