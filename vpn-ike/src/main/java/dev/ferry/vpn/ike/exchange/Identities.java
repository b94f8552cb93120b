package dev.ferry.vpn.ike.exchange;

import dev.ferry.vpn.core.config.Identity;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.ike.message.Bytes;
import dev.ferry.vpn.ike.message.IdPayload;
import dev.ferry.vpn.ike.message.IdType;
import dev.ferry.vpn.ike.message.PayloadType;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * Configured identities to ID payloads and back (RFC 7296 section 3.5). Distinguished names are
 * DER-encoded in the order written, as strongSwan does ({@code C=CH, O=Example, CN=gw} becomes the
 * RDN sequence C, O, CN); key IDs written as {@code #hex} are those octets, otherwise ASCII.
 */
public final class Identities {
  private Identities() { }

  /** The ID payload ({@code IDi} or {@code IDr}) that presents {@code identity}. */
  public static IdPayload toPayload(PayloadType type, Identity identity) {
    return switch (identity.kind()) {
      case IPV4_ADDR, IPV6_ADDR -> IdPayload.ofAddress(type, IpAddress.parse(identity.value()));
      case FQDN -> IdPayload.ofFqdn(type, identity.value());
      case RFC822_ADDR -> IdPayload.ofRfc822(type, identity.value());
      case KEY_ID -> new IdPayload(type, IdType.ID_KEY_ID, keyId(identity.value()));
      case DER_ASN1_DN -> new IdPayload(type, IdType.ID_DER_ASN1_DN, distinguishedName(identity));
      case ANY, NODE_PUBLIC_IP, LOAD_BALANCER_IP -> throw new IllegalArgumentException(
          "identity " + identity + " cannot be sent; configure a concrete identity");
    };
  }

  /** True when the peer's ID payload is what {@code expected} allows ({@code %any}: anything). */
  public static boolean matches(Identity expected, IdPayload received) {
    if (expected.kind() == Identity.Kind.ANY) {
      return true;
    }
    IdPayload wanted = toPayload(received.type(), expected);
    if (!wanted.idType().equals(received.idType())) {
      return false;
    }
    if (wanted.idType().equals(IdType.ID_FQDN) || wanted.idType().equals(IdType.ID_RFC822_ADDR)) {
      return wanted.data().utf8().equalsIgnoreCase(received.data().utf8());
    }
    return wanted.data().equals(received.data());
  }

  /** A printable form of a received identity for logs and events (never key material). */
  public static String describe(IdPayload id) {
    if (id.idType().equals(IdType.ID_IPV4_ADDR) || id.idType().equals(IdType.ID_IPV6_ADDR)) {
      return id.address().map(Object::toString).orElse("?");
    }
    if (id.idType().equals(IdType.ID_DER_ASN1_DN)) {
      try {
        return new X500Principal(id.data().toByteArray()).getName(X500Principal.RFC1779);
      } catch (IllegalArgumentException notDer) {
        return "DN(" + id.data().length() + " octets)";
      }
    }
    if (id.idType().equals(IdType.ID_KEY_ID)) {
      return "keyid:#" + id.data().hex();
    }
    return id.data().utf8();
  }

  private static Bytes keyId(String value) {
    if (value.startsWith("#")) {
      return Bytes.of(HexFormat.of().parseHex(value.substring(1)));
    }
    return Bytes.of(value.getBytes(StandardCharsets.US_ASCII));
  }

  private static Bytes distinguishedName(Identity identity) {
    // X500Principal reads RFC 2253 strings last-RDN-first; strongSwan encodes in written order.
    List<String> parts = List.of(identity.value().split(",\\s*"));
    StringBuilder reversed = new StringBuilder();
    for (int i = parts.size() - 1; i >= 0; i--) {
      reversed.append(parts.get(i));
      if (i > 0) {
        reversed.append(", ");
      }
    }
    return Bytes.of(new X500Principal(reversed.toString()).getEncoded());
  }
}
