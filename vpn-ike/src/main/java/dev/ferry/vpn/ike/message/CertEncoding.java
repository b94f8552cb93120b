package dev.ferry.vpn.ike.message;

/**
 * IKEv2 Certificate Encodings (RFC 7296 section 3.6), used by CERT and CERTREQ.
 *
 * <p>An open registry: {@link #valueOf} accepts every value of the field's width, unknown values
 * round-trip unchanged, and {@link #isKnown} tells whether Ferry has a name for the value.
 */
public record CertEncoding(int value) {
  private static final RegistryNames NAMES = new RegistryNames("CertEncoding", 255);

  /** PKCS #7 wrapped X.509 certificate. */
  public static final CertEncoding PKCS7_X509 = new CertEncoding(NAMES.define(1, "PKCS7_X509"));
  /** PGP certificate. */
  public static final CertEncoding PGP = new CertEncoding(NAMES.define(2, "PGP"));
  /** DNS signed key. */
  public static final CertEncoding DNS_SIGNED_KEY = new CertEncoding(NAMES.define(3, "DNS_SIGNED_KEY"));
  /** X.509 certificate, signature. */
  public static final CertEncoding X509_SIGNATURE = new CertEncoding(NAMES.define(4, "X509_SIGNATURE"));
  /** Kerberos token. */
  public static final CertEncoding KERBEROS_TOKEN = new CertEncoding(NAMES.define(6, "KERBEROS_TOKEN"));
  /** Certificate revocation list. */
  public static final CertEncoding CRL = new CertEncoding(NAMES.define(7, "CRL"));
  /** Authority revocation list. */
  public static final CertEncoding ARL = new CertEncoding(NAMES.define(8, "ARL"));
  /** SPKI certificate. */
  public static final CertEncoding SPKI = new CertEncoding(NAMES.define(9, "SPKI"));
  /** X.509 certificate, attribute. */
  public static final CertEncoding X509_ATTRIBUTE = new CertEncoding(NAMES.define(10, "X509_ATTRIBUTE"));
  /** Raw RSA key (deprecated by RFC 7296). */
  public static final CertEncoding RAW_RSA_KEY = new CertEncoding(NAMES.define(11, "RAW_RSA_KEY"));
  /** Hash and URL of an X.509 certificate. */
  public static final CertEncoding HASH_AND_URL_X509 = new CertEncoding(NAMES.define(12, "HASH_AND_URL_X509"));
  /** Hash and URL of an X.509 bundle. */
  public static final CertEncoding HASH_AND_URL_BUNDLE = new CertEncoding(NAMES.define(13, "HASH_AND_URL_BUNDLE"));
  /** OCSP content (RFC 4806). */
  public static final CertEncoding OCSP_CONTENT = new CertEncoding(NAMES.define(14, "OCSP_CONTENT"));
  /** Raw public key (RFC 7670). */
  public static final CertEncoding RAW_PUBLIC_KEY = new CertEncoding(NAMES.define(15, "RAW_PUBLIC_KEY"));

  public CertEncoding {
    NAMES.checkRange(value);
  }

  /** The registry value {@code value}; throws IllegalArgumentException outside 0..255. */
  public static CertEncoding valueOf(int value) {
    return new CertEncoding(value);
  }

  /** True when the value has a registered name in Ferry's table. */
  public boolean isKnown() {
    return NAMES.isKnown(value);
  }

  /** The IANA name, e.g. {@code PGP}, or {@code CertEncoding(n)} for unknown values. */
  public String name() {
    return NAMES.nameOf(value);
  }

  @Override
  public String toString() {
    return name();
  }
}
