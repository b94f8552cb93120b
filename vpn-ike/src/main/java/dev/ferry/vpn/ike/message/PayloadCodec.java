package dev.ferry.vpn.ike.message;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpRange;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;
import dev.ferry.vpn.core.net.TrafficSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes payload bodies (everything after the generic header) for each payload
 * record. Decoding checks every length before reading, so it never reads outside {@code [start,
 * end)}; a violation becomes a {@link PayloadSyntaxException} naming the field.
 */
final class PayloadCodec {
  /** The largest body a payload can have: 65535 minus the generic header. */
  static final int MAX_BODY = 0xffff - PayloadChain.GENERIC_HEADER;

  private PayloadCodec() {}

  /** True for the payload types that decode to their own record (not {@link UnknownPayload}). */
  static boolean parses(PayloadType type) {
    int v = type.value();
    return v >= PayloadType.SA.value() && v <= PayloadType.EAP.value() && v != 46;
  }

  /** Bounded cursor over one payload body. */
  private static final class Cursor {
    final byte[] buf;
    int pos;
    final int end;
    final PayloadType type;

    Cursor(PayloadType type, byte[] buf, int pos, int end) {
      this.type = type;
      this.buf = buf;
      this.pos = pos;
      this.end = end;
    }

    int remaining() {
      return end - pos;
    }

    void need(int n, String field) throws PayloadSyntaxException {
      if (end - pos < n) {
        throw PayloadSyntaxException.invalidSyntax(
            type + " payload: " + field + " needs " + n + " octets, " + (end - pos) + " remain");
      }
    }

    int u8() {
      return buf[pos++] & 0xff;
    }

    int u16() {
      int v = WireReader.u16(buf, pos);
      pos += 2;
      return v;
    }

    Bytes bytes(int n) {
      Bytes b = Bytes.copyOf(buf, pos, n);
      pos += n;
      return b;
    }

    Bytes rest() {
      return bytes(end - pos);
    }

    void skip(int n) {
      pos += n;
    }
  }

  static IkePayload decodeBody(PayloadType type, byte[] buf, int start, int end)
      throws PayloadSyntaxException {
    Cursor c = new Cursor(type, buf, start, end);
    return switch (type.value()) {
      case 33 -> decodeSa(c);
      case 34 -> {
        c.need(4, "Key Exchange Method and RESERVED");
        int method = c.u16();
        c.skip(2);
        yield new KePayload(method, c.rest());
      }
      case 35, 36 -> decodeId(c);
      case 37 -> {
        c.need(1, "Cert Encoding");
        yield new CertPayload(CertEncoding.valueOf(c.u8()), c.rest());
      }
      case 38 -> {
        c.need(1, "Cert Encoding");
        yield new CertReqPayload(CertEncoding.valueOf(c.u8()), c.rest());
      }
      case 39 -> {
        c.need(4, "Auth Method and RESERVED");
        AuthMethod method = AuthMethod.valueOf(c.u8());
        c.skip(3);
        yield new AuthPayload(method, c.rest());
      }
      case 40 -> new NoncePayload(c.rest());
      case 41 -> decodeNotify(c);
      case 42 -> decodeDelete(c);
      case 43 -> new VendorIdPayload(c.rest());
      case 44, 45 -> decodeTs(c);
      case 47 -> decodeConfig(c);
      case 48 -> new EapPayload(c.rest());
      default -> new UnknownPayload(type, false, c.rest());
    };
  }

  private static SaPayload decodeSa(Cursor c) throws PayloadSyntaxException {
    List<SaProposal> proposals = new ArrayList<>();
    while (c.remaining() > 0) {
      c.need(8, "proposal header");
      int proposalStart = c.pos;
      int last = c.u8();
      c.skip(1);
      int length = c.u16();
      int number = c.u8();
      int protocolId = c.u8();
      int spiSize = c.u8();
      int transformCount = c.u8();
      if (length < 8 + spiSize || length > c.end - proposalStart) {
        throw PayloadSyntaxException.invalidSyntax(
            "SA payload: proposal " + number + " length " + length + " does not fit");
      }
      int proposalEnd = proposalStart + length;
      // RFC 7296 section 3.3.1: Last Substruc is 0 for the last proposal and 2 otherwise.
      if (last != (proposalEnd == c.end ? 0 : 2)) {
        throw PayloadSyntaxException.invalidSyntax(
            "SA payload: proposal " + number + " has Last Substruc " + last);
      }
      Bytes spi = c.bytes(spiSize);
      List<SaTransform> transforms = new ArrayList<>(transformCount);
      for (int i = 0; i < transformCount; i++) {
        transforms.add(decodeTransform(c, proposalEnd, i + 1 == transformCount));
      }
      if (c.pos != proposalEnd) {
        throw PayloadSyntaxException.invalidSyntax(
            "SA payload: proposal " + number + " has " + (proposalEnd - c.pos)
                + " octets after its " + transformCount + " transforms");
      }
      proposals.add(new SaProposal(number, protocolId, spi, transforms));
    }
    return new SaPayload(proposals);
  }

  private static SaTransform decodeTransform(Cursor c, int proposalEnd, boolean lastExpected)
      throws PayloadSyntaxException {
    if (proposalEnd - c.pos < 8) {
      throw PayloadSyntaxException.invalidSyntax(
          "SA payload: transform header needs 8 octets, " + (proposalEnd - c.pos) + " remain");
    }
    int start = c.pos;
    int last = c.u8();
    c.skip(1);
    int length = c.u16();
    int type = c.u8();
    c.skip(1);
    int id = c.u16();
    if (length < 8 || length > proposalEnd - start) {
      throw PayloadSyntaxException.invalidSyntax(
          "SA payload: transform length " + length + " does not fit its proposal");
    }
    // RFC 7296 section 3.3.2: Last Substruc is 0 for the last transform and 3 otherwise.
    if (last != (lastExpected ? 0 : 3)) {
      throw PayloadSyntaxException.invalidSyntax(
          "SA payload: transform has Last Substruc " + last);
    }
    int end = start + length;
    List<SaAttribute> attributes = new ArrayList<>();
    while (c.pos < end) {
      if (end - c.pos < 4) {
        throw PayloadSyntaxException.invalidSyntax(
            "SA payload: transform attribute header needs 4 octets, " + (end - c.pos) + " remain");
      }
      int typeField = c.u16();
      int attributeType = typeField & 0x7fff;
      // RFC 7296 section 3.3.5: AF set means TV, the value is the next two octets.
      if ((typeField & 0x8000) != 0) {
        attributes.add(new SaAttribute(attributeType, true, c.bytes(2)));
      } else {
        int valueLength = c.u16();
        if (valueLength > end - c.pos) {
          throw PayloadSyntaxException.invalidSyntax(
              "SA payload: attribute " + attributeType + " length " + valueLength
                  + " runs past its transform");
        }
        attributes.add(new SaAttribute(attributeType, false, c.bytes(valueLength)));
      }
    }
    return new SaTransform(type, id, attributes);
  }

  private static IdPayload decodeId(Cursor c) throws PayloadSyntaxException {
    c.need(4, "ID Type and RESERVED");
    IdType idType = IdType.valueOf(c.u8());
    c.skip(3);
    int expected = IdPayload.addressLength(idType);
    // RFC 7296 section 3.5: address identities are exactly one IPv4 or IPv6 address.
    if (expected != 0 && c.remaining() != expected) {
      throw PayloadSyntaxException.invalidSyntax(
          c.type + " payload: " + idType + " carries " + c.remaining() + " octets, not "
              + expected);
    }
    return new IdPayload(c.type, idType, c.rest());
  }

  private static NotifyPayload decodeNotify(Cursor c) throws PayloadSyntaxException {
    c.need(4, "Protocol ID, SPI Size and Notify Message Type");
    int protocolId = c.u8();
    int spiSize = c.u8();
    NotifyType type = NotifyType.valueOf(c.u16());
    c.need(spiSize, "SPI");
    Bytes spi = c.bytes(spiSize);
    return new NotifyPayload(protocolId, spi, type, c.rest());
  }

  private static DeletePayload decodeDelete(Cursor c) throws PayloadSyntaxException {
    c.need(4, "Protocol ID, SPI Size and Num of SPIs");
    int protocolId = c.u8();
    int spiSize = c.u8();
    int count = c.u16();
    // RFC 7296 section 3.11: the body is exactly Num of SPIs SPIs of SPI Size octets.
    if ((long) spiSize * count != c.remaining()) {
      throw PayloadSyntaxException.invalidSyntax(
          "D payload: " + count + " SPIs of " + spiSize + " octets need " + spiSize * count
              + " octets, " + c.remaining() + " present");
    }
    List<Bytes> spis = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      spis.add(c.bytes(spiSize));
    }
    return new DeletePayload(protocolId, spiSize, spis);
  }

  private static TsPayload decodeTs(Cursor c) throws PayloadSyntaxException {
    c.need(4, "Number of TSs and RESERVED");
    int count = c.u8();
    c.skip(3);
    List<TrafficSelector> selectors = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      c.need(8, "traffic selector header");
      int tsType = c.u8();
      int protocol = c.u8();
      int length = c.u16();
      int startPort = c.u16();
      int endPort = c.u16();
      int addressLength;
      if (tsType == TsPayload.TS_IPV4_ADDR_RANGE) {
        addressLength = 4;
      } else if (tsType == TsPayload.TS_IPV6_ADDR_RANGE) {
        addressLength = 16;
      } else {
        throw PayloadSyntaxException.invalidSyntax(
            c.type + " payload: unsupported TS Type " + tsType);
      }
      // RFC 7296 section 3.13.1: Selector Length is 16 for IPv4 and 40 for IPv6 ranges.
      if (length != 8 + 2 * addressLength) {
        throw PayloadSyntaxException.invalidSyntax(
            c.type + " payload: TS Type " + tsType + " with Selector Length " + length);
      }
      c.need(2 * addressLength, "traffic selector addresses");
      IpAddress first = address(c.buf, c.pos, addressLength);
      IpAddress last = address(c.buf, c.pos + addressLength, addressLength);
      c.skip(2 * addressLength);
      if (startPort > endPort) {
        throw PayloadSyntaxException.invalidSyntax(
            c.type + " payload: port range " + startPort + "-" + endPort
                + " is empty or OPAQUE, which Ferry does not negotiate");
      }
      if (first.compareTo(last) > 0) {
        throw PayloadSyntaxException.invalidSyntax(
            c.type + " payload: address range " + first + "-" + last + " is empty");
      }
      selectors.add(new TrafficSelector(new IpRange(first, last), protocol, startPort, endPort));
    }
    if (c.remaining() != 0) {
      throw PayloadSyntaxException.invalidSyntax(
          c.type + " payload: " + c.remaining() + " octets after " + count + " selectors");
    }
    return new TsPayload(c.type, selectors);
  }

  private static IpAddress address(byte[] buf, int offset, int length) {
    return length == 4 ? Ipv4Address.fromBytes(buf, offset) : Ipv6Address.fromBytes(buf, offset);
  }

  private static ConfigPayload decodeConfig(Cursor c) throws PayloadSyntaxException {
    c.need(4, "CFG Type and RESERVED");
    int configType = c.u8();
    c.skip(3);
    List<ConfigAttribute> attributes = new ArrayList<>();
    while (c.remaining() > 0) {
      c.need(4, "configuration attribute header");
      // RFC 7296 section 3.15.1: the top bit is reserved and ignored on receipt.
      int type = c.u16() & 0x7fff;
      int length = c.u16();
      c.need(length, "configuration attribute value");
      attributes.add(new ConfigAttribute(ConfigAttributeType.valueOf(type), c.bytes(length)));
    }
    return new ConfigPayload(configType, attributes);
  }

  static void encodeBody(WireWriter out, IkePayload payload) {
    switch (payload) {
      case SaPayload sa -> encodeSa(out, sa);
      case KePayload ke -> out.u16(ke.method()).u16(0).bytes(ke.data());
      case IdPayload id -> out.u8(id.idType().value()).zeros(3).bytes(id.data());
      case CertPayload cert -> out.u8(cert.encoding().value()).bytes(cert.data());
      case CertReqPayload req -> out.u8(req.encoding().value()).bytes(req.authorities());
      case AuthPayload auth -> out.u8(auth.method().value()).zeros(3).bytes(auth.data());
      case NoncePayload nonce -> out.bytes(nonce.nonce());
      case NotifyPayload n ->
          out.u8(n.protocolId())
              .u8(n.spi().length())
              .u16(n.notifyType().value())
              .bytes(n.spi())
              .bytes(n.data());
      case DeletePayload d -> {
        out.u8(d.protocolId()).u8(d.spiSize()).u16(d.spis().size());
        d.spis().forEach(out::bytes);
      }
      case VendorIdPayload v -> out.bytes(v.vendorId());
      case TsPayload ts -> encodeTs(out, ts);
      case ConfigPayload cp -> {
        out.u8(cp.configType()).zeros(3);
        for (ConfigAttribute a : cp.attributes()) {
          out.u16(a.type().value()).u16(a.value().length()).bytes(a.value());
        }
      }
      case EapPayload eap -> out.bytes(eap.message());
      case UnknownPayload u -> out.bytes(u.body());
    }
  }

  private static void encodeSa(WireWriter out, SaPayload sa) {
    List<SaProposal> proposals = sa.proposals();
    for (int i = 0; i < proposals.size(); i++) {
      SaProposal p = proposals.get(i);
      int start = out.size();
      out.u8(i + 1 < proposals.size() ? 2 : 0)
          .u8(0)
          .u16(0)
          .u8(p.number())
          .u8(p.protocolId())
          .u8(p.spi().length())
          .u8(p.transforms().size())
          .bytes(p.spi());
      List<SaTransform> transforms = p.transforms();
      for (int j = 0; j < transforms.size(); j++) {
        SaTransform t = transforms.get(j);
        int tStart = out.size();
        out.u8(j + 1 < transforms.size() ? 3 : 0)
            .u8(0)
            .u16(0)
            .u8(t.transformType())
            .u8(0)
            .u16(t.transformId());
        for (SaAttribute a : t.attributes()) {
          if (a.tvFormat()) {
            out.u16(0x8000 | a.attributeType()).bytes(a.value());
          } else {
            out.u16(a.attributeType()).u16(a.value().length()).bytes(a.value());
          }
        }
        out.patchU16(tStart + 2, checkedLength("transform", out.size() - tStart));
      }
      out.patchU16(start + 2, checkedLength("proposal", out.size() - start));
    }
  }

  private static int checkedLength(String what, int length) {
    if (length > 0xffff) {
      throw new IllegalArgumentException(what + " of " + length + " octets exceeds 65535");
    }
    return length;
  }

  private static void encodeTs(WireWriter out, TsPayload ts) {
    out.u8(ts.selectors().size()).zeros(3);
    for (TrafficSelector s : ts.selectors()) {
      boolean v4 = s.addresses().first() instanceof Ipv4Address;
      out.u8(v4 ? TsPayload.TS_IPV4_ADDR_RANGE : TsPayload.TS_IPV6_ADDR_RANGE)
          .u8(s.ipProtocol())
          .u16(v4 ? 16 : 40)
          .u16(s.startPort())
          .u16(s.endPort());
      byte[] first = s.addresses().first().toBytes();
      byte[] last = s.addresses().last().toBytes();
      out.bytes(first, 0, first.length).bytes(last, 0, last.length);
    }
  }
}
