package dev.ferry.vpn.ike.message;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Identification payload, IDi or IDr by {@link #type()} (RFC 7296 section 3.5): an ID type and
 * its data. The decoder checks that address types carry exactly 4 or 16 octets; other types are
 * opaque here.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   ID Type     |                 RESERVED                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                   Identification Data                         ~
 * </pre>
 */
public record IdPayload(PayloadType type, IdType idType, Bytes data) implements IkePayload {
  public IdPayload {
    Checks.oneOf("ID payload type", type, PayloadType.IDI, PayloadType.IDR);
    Objects.requireNonNull(idType, "idType");
    Checks.maxLength("identification data", data, PayloadCodec.MAX_BODY - 4);
    int expected = addressLength(idType);
    if (expected != 0 && data.length() != expected) {
      throw new IllegalArgumentException(
          idType + " needs " + expected + " octets, not " + data.length());
    }
  }

  /** 4 for ID_IPV4_ADDR, 16 for ID_IPV6_ADDR, 0 (no fixed length) otherwise. */
  static int addressLength(IdType idType) {
    if (idType.equals(IdType.ID_IPV4_ADDR)) {
      return 4;
    }
    return idType.equals(IdType.ID_IPV6_ADDR) ? 16 : 0;
  }

  /** ID_IPV4_ADDR or ID_IPV6_ADDR for {@code address}. */
  public static IdPayload ofAddress(PayloadType type, IpAddress address) {
    IdType idType = address instanceof Ipv4Address ? IdType.ID_IPV4_ADDR : IdType.ID_IPV6_ADDR;
    return new IdPayload(type, idType, Bytes.wrap(address.toBytes()));
  }

  /** ID_FQDN, e.g. {@code vpn.example.com} (ASCII, RFC 7296 section 3.5). */
  public static IdPayload ofFqdn(PayloadType type, String fqdn) {
    return new IdPayload(type, IdType.ID_FQDN, ascii(fqdn));
  }

  /** ID_RFC822_ADDR, e.g. {@code user@example.com}. */
  public static IdPayload ofRfc822(PayloadType type, String address) {
    return new IdPayload(type, IdType.ID_RFC822_ADDR, ascii(address));
  }

  private static Bytes ascii(String text) {
    return Bytes.wrap(text.getBytes(StandardCharsets.US_ASCII));
  }

  /** The address of an ID_IPV4_ADDR or ID_IPV6_ADDR identity. */
  public Optional<IpAddress> address() {
    byte[] raw = data.toByteArray();
    if (idType.equals(IdType.ID_IPV4_ADDR)) {
      return Optional.of(Ipv4Address.fromBytes(raw, 0));
    }
    if (idType.equals(IdType.ID_IPV6_ADDR)) {
      return Optional.of(Ipv6Address.fromBytes(raw, 0));
    }
    return Optional.empty();
  }

  /**
   * The body octets {@code ID Type | RESERVED | Identification Data} that RFC 7296 section 2.15
   * feeds into the AUTH computation (RestOfInitIDPayload / RestOfRespIDPayload).
   */
  public Bytes authenticatedBody() {
    WireWriter w = new WireWriter(4 + data.length());
    w.u8(idType.value()).zeros(3).bytes(data);
    return Bytes.wrap(w.toByteArray());
  }

  @Override
  public String summary() {
    return type.equals(PayloadType.IDI) ? "IDi" : "IDr";
  }
}
