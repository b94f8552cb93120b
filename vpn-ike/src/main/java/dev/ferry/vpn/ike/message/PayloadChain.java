package dev.ferry.vpn.ike.message;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks and writes chains of generic payload headers (RFC 7296 section 3.2):
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * A walk yields the payloads in order and, when the chain ends in SK or SKF, where that payload
 * sits so the caller can authenticate and decrypt it.
 */
final class PayloadChain {
  /** Octets in the generic payload header. */
  static final int GENERIC_HEADER = 4;

  final List<IkePayload> payloads = new ArrayList<>();
  /** SK or SKF when the chain ended in one, else null. */
  PayloadType encryptedType;
  /** The Next Payload field of the SK/SKF header: the first inner payload's type. */
  PayloadType innerFirst;
  /** Offset of the SK/SKF generic header. */
  int encryptedOffset;
  /** Payload Length of SK/SKF, including its generic header. */
  int encryptedLength;

  private PayloadChain() {}

  /**
   * Parses the chain starting with {@code first} in {@code buf[offset, end)}. When {@code
   * allowEncrypted}, an SK or SKF payload ends the walk and must end the range; otherwise one is a
   * syntax error (SK never nests).
   */
  static PayloadChain parse(
      byte[] buf, int offset, int end, PayloadType first, boolean allowEncrypted)
      throws PayloadSyntaxException {
    PayloadChain chain = new PayloadChain();
    PayloadType type = first;
    int pos = offset;
    while (!type.equals(PayloadType.NONE)) {
      if (end - pos < GENERIC_HEADER) {
        throw PayloadSyntaxException.invalidSyntax(
            "payload " + type + " announced at chain offset " + (pos - offset) + " but only " + (end - pos)
                + " octets remain");
      }
      PayloadType next = PayloadType.valueOf(WireReader.u8(buf, pos));
      boolean critical = (buf[pos + 1] & 0x80) != 0;
      int length = WireReader.u16(buf, pos + 2);
      // RFC 7296 section 3.2: Payload Length includes the 4-octet generic header.
      if (length < GENERIC_HEADER) {
        throw PayloadSyntaxException.invalidSyntax(
            "payload " + type + " length " + length + " < " + GENERIC_HEADER);
      }
      if (length > end - pos) {
        throw PayloadSyntaxException.invalidSyntax(
            "payload " + type + " length " + length + " runs past the end (" + (end - pos)
                + " octets remain)");
      }
      if (type.isEncrypted()) {
        if (!allowEncrypted) {
          throw PayloadSyntaxException.invalidSyntax(type + " inside an encrypted payload");
        }
        // RFC 7296 section 3.14 and RFC 7383 section 2.5: SK/SKF MUST be the last payload.
        if (pos + length != end) {
          throw PayloadSyntaxException.invalidSyntax(
              type + " is not the last payload: " + (end - pos - length) + " octets follow");
        }
        chain.encryptedType = type;
        chain.innerFirst = next;
        chain.encryptedOffset = pos;
        chain.encryptedLength = length;
        return chain;
      }
      if (!PayloadCodec.parses(type) && critical) {
        // RFC 7296 section 2.5: an unrecognised critical payload rejects the whole message;
        // section 3.10.1: the notification data is the one-octet payload type.
        throw new PayloadSyntaxException(
            NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD,
            Bytes.of((byte) type.value()),
            "unsupported critical payload " + type);
      }
      chain.payloads.add(
          PayloadCodec.decodeBody(type, buf, pos + GENERIC_HEADER, pos + length));
      pos += length;
      type = next;
    }
    if (pos != end) {
      throw PayloadSyntaxException.invalidSyntax(
          (end - pos) + " octets follow the last payload");
    }
    return chain;
  }

  /** Writes {@code payloads} with generic headers; the last one's Next Payload is NONE. */
  static void write(WireWriter out, List<IkePayload> payloads) {
    for (int i = 0; i < payloads.size(); i++) {
      IkePayload p = payloads.get(i);
      PayloadType next = i + 1 < payloads.size() ? payloads.get(i + 1).type() : PayloadType.NONE;
      int start = out.size();
      boolean critical = p instanceof UnknownPayload u && u.critical();
      // RFC 7296 section 2.5: the critical bit is clear for every payload this RFC defines.
      out.u8(next.value()).u8(critical ? 0x80 : 0).u16(0);
      PayloadCodec.encodeBody(out, p);
      int length = out.size() - start;
      if (length > 0xffff) {
        throw new IllegalArgumentException(
            p.type() + " payload of " + length + " octets exceeds the 65535-octet limit");
      }
      out.patchU16(start + 2, length);
    }
  }
}
