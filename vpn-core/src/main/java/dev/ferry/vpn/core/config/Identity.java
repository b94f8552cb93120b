package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.net.AddressFormatException;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An IKE identity in strongSwan's {@code leftid}/{@code rightid} syntax, plus the chart's
 * placeholders resolved when the pod starts.
 *
 * <p>Parsing follows strongSwan: {@code %any} matches anything; a value with {@code =} is a
 * distinguished name ({@code C=CH, O=Example, CN=gw}); {@code keyid:} (or {@code @#}hex) is a key
 * ID; {@code @@user@host} and {@code user@host} are RFC 822 addresses; {@code @name} is an FQDN taken
 * literally; an IPv4 or IPv6 literal is an address; any other string ({@code ibm-cloud}) is an FQDN.
 * The kinds map to the ID Types of RFC 7296 section 3.5.
 */
public record Identity(Kind kind, String value) {

  /** What an identity denotes. */
  public enum Kind {
    /** {@code %any}: the peer may use any identity. */
    ANY(-1),
    /** ID_IPV4_ADDR. */
    IPV4_ADDR(1),
    /** ID_FQDN (any name strongSwan does not recognise as something else). */
    FQDN(2),
    /** ID_RFC822_ADDR ({@code user@example.com}). */
    RFC822_ADDR(3),
    /** ID_IPV6_ADDR. */
    IPV6_ADDR(5),
    /** ID_DER_ASN1_DN, kept as its string form. */
    DER_ASN1_DN(9),
    /** ID_KEY_ID, kept as written (hex after {@code #} means bytes). */
    KEY_ID(11),
    /** Chart placeholder {@code %nodePublicIP}: the public address of the node running the pod. */
    NODE_PUBLIC_IP(-1),
    /** Chart placeholder {@code %loadBalancerIP}: the load balancer address of the VPN service. */
    LOAD_BALANCER_IP(-1);

    private final int idType;

    Kind(int idType) {
      this.idType = idType;
    }

    /** The RFC 7296 section 3.5 ID Type, or empty for {@code %any} and placeholders. */
    public OptionalInt idType() {
      return idType < 0 ? OptionalInt.empty() : OptionalInt.of(idType);
    }

    /** True for the chart's {@code %...IP} placeholders, which only make sense for local.id. */
    public boolean isPlaceholder() {
      return this == NODE_PUBLIC_IP || this == LOAD_BALANCER_IP;
    }
  }

  /** {@code %any}. */
  public static final Identity ANY = new Identity(Kind.ANY, "%any");

  public Identity {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("an identity cannot be blank");
    }
  }

  /** Parses strongSwan ID syntax; throws {@link IllegalArgumentException} saying why not. */
  public static Identity parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("an identity cannot be blank");
    }
    switch (s) {
      case "%any", "%any6", "*" -> {
        return ANY;
      }
      case "%nodePublicIP" -> {
        return new Identity(Kind.NODE_PUBLIC_IP, s);
      }
      case "%loadBalancerIP" -> {
        return new Identity(Kind.LOAD_BALANCER_IP, s);
      }
      default -> { }
    }
    if (s.startsWith("%")) {
      throw new IllegalArgumentException(
          "unknown placeholder; use %any, %nodePublicIP or %loadBalancerIP");
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("keyid:")) {
      return keyId(s.substring(6));
    }
    if (s.startsWith("@#")) {
      return keyId("#" + s.substring(2));
    }
    if (lower.startsWith("fqdn:")) {
      return new Identity(Kind.FQDN, noSpaces(s.substring(5)));
    }
    if (lower.startsWith("email:") || lower.startsWith("rfc822:") || lower.startsWith("userfqdn:")) {
      return new Identity(Kind.RFC822_ADDR, noSpaces(s.substring(s.indexOf(':') + 1)));
    }
    if (lower.startsWith("asn1dn:")) {
      return distinguishedName(s.substring(7));
    }
    if (s.indexOf('=') >= 0) {
      return distinguishedName(s);
    }
    if (s.startsWith("@@")) {
      return new Identity(Kind.RFC822_ADDR, noSpaces(s.substring(2)));
    }
    if (s.startsWith("@")) {
      return new Identity(Kind.FQDN, noSpaces(s.substring(1)));
    }
    if (s.indexOf('@') >= 0) {
      return new Identity(Kind.RFC822_ADDR, noSpaces(s));
    }
    try {
      IpAddress address = IpAddress.parse(s);
      return new Identity(
          address.family() == IpFamily.IPV4 ? Kind.IPV4_ADDR : Kind.IPV6_ADDR, address.toString());
    } catch (AddressFormatException notAnAddress) {
      return new Identity(Kind.FQDN, noSpaces(s));
    }
  }

  private static Identity keyId(String rest) {
    String id = noSpaces(rest);
    if (id.startsWith("#") && (id.length() < 2 || (id.length() - 1) % 2 != 0
        || !id.substring(1).chars().allMatch(c -> Character.digit(c, 16) >= 0))) {
      throw new IllegalArgumentException("a key ID after '#' must be an even number of hex digits");
    }
    return new Identity(Kind.KEY_ID, id);
  }

  private static Identity distinguishedName(String text) {
    StringBuilder canonical = new StringBuilder();
    for (String part : text.split(",")) {
      String rdn = part.strip();
      int eq = rdn.indexOf('=');
      if (eq <= 0 || eq == rdn.length() - 1) {
        throw new IllegalArgumentException(
            "a distinguished name is a comma-separated list of attr=value (e.g. C=CH, O=Example); "
                + "a part has no attribute or no value");
      }
      String attribute = rdn.substring(0, eq).strip();
      if (!attribute.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.')) {
        throw new IllegalArgumentException(
            "a distinguished name attribute must be a name such as CN or an OID such as 2.5.4.3");
      }
      if (!canonical.isEmpty()) {
        canonical.append(", ");
      }
      canonical.append(attribute).append('=').append(rdn.substring(eq + 1).strip());
    }
    return new Identity(Kind.DER_ASN1_DN, canonical.toString());
  }

  private static String noSpaces(String value) {
    String v = value.strip();
    if (v.isEmpty()) {
      throw new IllegalArgumentException("the identity is empty after its prefix");
    }
    if (v.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "only distinguished names may contain spaces; did you mean an FQDN without spaces?");
    }
    return v;
  }

  /** strongSwan syntax that {@link #parse} reads back to an equal identity. */
  @Override
  public String toString() {
    return switch (kind) {
      case KEY_ID -> "keyid:" + value;
      case RFC822_ADDR -> value.indexOf('@') > 0 ? value : "@@" + value;
      case FQDN -> "@" + value;
      default -> value;
    };
  }
}
